// The sidebar's repository tree: names grouped by namespace ("api/orders" under "api/").

export interface RepoLeaf<T> {
  kind: 'repo';
  /** The last path segment, shown in the tree. */
  label: string;
  name: string;
  item: T;
}

export interface RepoFolder<T> {
  kind: 'folder';
  /** "api/" */
  label: string;
  path: string;
  children: RepoNode<T>[];
}

export type RepoNode<T> = RepoLeaf<T> | RepoFolder<T>;

/** Case-insensitive "every word appears" filter. */
export function matches(name: string, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const lower = name.toLowerCase();
  return words.every((w) => lower.includes(w));
}

/** Build the tree of the items whose name passes `filter`; folders first, then by name. */
export function buildTree<T>(items: T[], nameOf: (item: T) => string, filter = ''): RepoNode<T>[] {
  const root: RepoFolder<T> = { kind: 'folder', label: '', path: '', children: [] };
  for (const item of items) {
    const name = nameOf(item);
    if (!matches(name, filter)) continue;
    const parts = name.split('/');
    let folder = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const path = parts.slice(0, i + 1).join('/') + '/';
      let next = folder.children.find((c): c is RepoFolder<T> => c.kind === 'folder' && c.path === path);
      if (!next) {
        next = { kind: 'folder', label: `${parts[i]}/`, path, children: [] };
        folder.children.push(next);
      }
      folder = next;
    }
    folder.children.push({ kind: 'repo', label: parts[parts.length - 1] ?? name, name, item });
  }
  sortTree(root.children);
  return root.children;
}

function sortTree<T>(nodes: RepoNode<T>[]): void {
  nodes.sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    return a.label.localeCompare(b.label);
  });
  for (const n of nodes) if (n.kind === 'folder') sortTree(n.children);
}

/** The tree flattened to rows in display order, skipping collapsed folders' children. */
export function visibleRows<T>(
  nodes: RepoNode<T>[],
  collapsed: ReadonlySet<string>,
  depth = 0,
): { node: RepoNode<T>; depth: number }[] {
  const rows: { node: RepoNode<T>; depth: number }[] = [];
  for (const node of nodes) {
    rows.push({ node, depth });
    if (node.kind === 'folder' && !collapsed.has(node.path)) {
      rows.push(...visibleRows(node.children, collapsed, depth + 1));
    }
  }
  return rows;
}
