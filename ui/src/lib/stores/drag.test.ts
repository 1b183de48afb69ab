import { describe, expect, it } from 'vitest';
import { copyTargetAt, Drag, repositoryNameFor, targetAt } from './drag.svelte';

const image = (tag: string) => ({ id: 'sha256:x', repo_tags: [tag], repo_digests: [], size_bytes: 1, created_at: null, layers: 1 });

describe('drag and drop', () => {
  it('suggests a repository name from the image', () => {
    expect(repositoryNameFor(image('demo/app:dev'))).toBe('demo/app');
    expect(repositoryNameFor(image('registry.example.com/Team/App:1'))).toBe('team/app');
  });

  it('finds the drop target under the pointer', () => {
    document.body.innerHTML = '<div data-drop-repo="api/orders"><span id="in">orders</span></div><button data-drop-new id="new">+</button>';
    const at = (id: string) => ({ elementFromPoint: () => document.getElementById(id) }) as unknown as Document;
    expect(targetAt(0, 0, at('in'))).toEqual({ kind: 'repo', name: 'api/orders' });
    expect(targetAt(0, 0, at('new'))).toEqual({ kind: 'new' });
    expect(targetAt(0, 0, { elementFromPoint: () => null } as unknown as Document)).toBeNull();
  });

  it('finds a public repository of the sidebar, with its alias', () => {
    document.body.innerHTML =
      '<div data-drop-public="tools" data-alias="berth"><span id="pub">tools</span></div><div data-drop-public="x" id="noalias"></div>';
    const at = (id: string) => ({ elementFromPoint: () => document.getElementById(id) }) as unknown as Document;
    expect(targetAt(0, 0, at('pub'))).toEqual({ kind: 'public', alias: 'berth', name: 'tools' });
    expect(targetAt(0, 0, at('noalias'))).toBeNull();
  });
});

describe('copy targets', () => {
  const doc = (attrs: Record<string, string>) =>
    ({
      elementFromPoint: () => ({
        closest: () => ({ getAttribute: (name: string) => attrs[name] ?? null }),
      }),
    }) as unknown as Document;

  it('reads the active registry, a pinned one and a host', () => {
    expect(copyTargetAt(0, 0, doc({ 'data-drop-repo': 'web' }))).toEqual({ kind: 'active', repository: 'web' });
    const pinned = { kind: 'pinned', profile: 'aws:prod', region: 'us-west-2', repository: 'api/orders' };
    expect(copyTargetAt(0, 0, doc({ 'data-drop-copy': JSON.stringify(pinned) }))).toEqual(pinned);
    const oci = { kind: 'oci', host: '127.0.0.1:5000', repository: 'team/web' };
    expect(copyTargetAt(0, 0, doc({ 'data-drop-copy': JSON.stringify(oci) }))).toEqual(oci);
  });

  it('ignores what is not a target', () => {
    expect(copyTargetAt(0, 0, doc({ 'data-drop-copy': 'not json' }))).toBeNull();
    expect(copyTargetAt(0, 0, doc({ 'data-drop-copy': '{"kind":"oci"}' }))).toBeNull();
    expect(copyTargetAt(0, 0, { elementFromPoint: () => null } as unknown as Document)).toBeNull();
  });
});

describe('a drag', () => {
  const pointer = (type: string, x: number, y: number) => new MouseEvent(type, { clientX: x, clientY: y }) as PointerEvent;

  it('drops where the last move showed it would, and nothing when it showed nothing', () => {
    // Rows 24 px high: y 0–23 is "a", 24–47 is "b", below is nothing.
    const at = (_x: number, y: number) => (y < 24 ? 'a' : y < 48 ? 'b' : null);
    const dropped: [string, string][] = [];
    const drag = new Drag<string, string>(at, (item, target) => dropped.push([item, target]));
    drag.begin('web:2', pointer('pointerdown', 300, 300));
    window.dispatchEvent(pointer('pointermove', 10, 30));
    expect(drag.over).toBe('b');
    // A release reported a row higher than the last move still drops on the row shown.
    window.dispatchEvent(pointer('pointerup', 10, 6));
    expect(dropped).toEqual([['web:2', 'b']]);
    expect(drag.item).toBeNull();

    drag.begin('web:3', pointer('pointerdown', 300, 300));
    window.dispatchEvent(pointer('pointermove', 10, 90));
    window.dispatchEvent(pointer('pointerup', 10, 30));
    expect(dropped).toHaveLength(1);
  });

  it('is no drag until the pointer moved a few pixels', () => {
    const dropped: string[] = [];
    const drag = new Drag<string, string>(() => 'a', (item) => dropped.push(item));
    drag.begin('web:2', pointer('pointerdown', 100, 100));
    window.dispatchEvent(pointer('pointermove', 102, 101));
    expect(drag.item).toBeNull();
    window.dispatchEvent(pointer('pointerup', 102, 101));
    expect(dropped).toEqual([]);
  });
});
