// The colours of app.css, light and dark, against WCAG AA (4.5:1 for text of this size), as
// axe-core computes contrast: the end-to-end suite runs axe on the light theme only, so the
// dark theme's pairs are checked here, from the same variables.
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';

// Read as a file: vitest turns CSS imports (even ?raw) into empty modules. Node's fs is named at
// run time, the UI's types knowing no Node.
const fsModule = 'node:fs';
const fs = (await import(/* @vite-ignore */ fsModule)) as { readFileSync(path: string, encoding: 'utf8'): string };
const css = fs.readFileSync(decodeURIComponent(import.meta.url.replace(/^file:\/\//, '').replace(/[^/]*$/, 'app.css')), 'utf8');

function variables(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\b/g)].map((m) => [m[1], m[2]]));
}

const blocks = [...css.matchAll(/:root\s*\{([^}]*)\}/g)].map((m) => variables(m[1] ?? ''));
const light = blocks[0] ?? {};
const themes: Record<string, Record<string, string>> = { light, dark: { ...light, ...blocks[1] } };

// axe-core's own colour code (what its color-contrast rule uses), which its types leave out.
type AxeColor = { parseString(text: string): void };
const color = (axe.commons as unknown as {
  color: { Color: new () => AxeColor; getContrast(bg: AxeColor, fg: AxeColor): number };
}).color;

function contrast(fg: string, bg: string): number {
  const parse = (hex: string) => {
    const c = new color.Color();
    c.parseString(hex);
    return c;
  };
  return color.getContrast(parse(bg), parse(fg));
}

// Which text colour sits on which background somewhere in the app.
const SURFACES = ['bg', 'bg-side', 'bg-raised', 'bg-hover', 'bg-selected'];
const PAIRS: [string, string[]][] = [
  ['text', SURFACES],
  ['text-dim', SURFACES],
  // Faint text: an empty cell's "none", a namespace before a name, an image's size in the
  // sidebar (on its selected row too), a palette entry's kind.
  ['text-faint', SURFACES],
  ['accent', SURFACES],
  ['green', [...SURFACES, 'green-bg']],
  ['amber', [...SURFACES, 'amber-bg']],
  ['red', [...SURFACES, 'red-bg']],
  // A primary or destructive button, a critical badge.
  ['on-fill', ['accent', 'red', 'green']],
];

describe('theme colours', () => {
  it('parses both themes', () => {
    expect(blocks).toHaveLength(2);
    expect(Object.keys(blocks[1] ?? {}).length).toBeGreaterThan(10);
  });

  for (const [name, vars] of Object.entries(themes)) {
    it(`${name}: every text colour is readable on the surfaces it is used on`, () => {
      const failing: string[] = [];
      for (const [fg, bgs] of PAIRS) {
        for (const bg of bgs) {
          const [f, b] = [vars[fg], vars[bg]];
          expect(f, `--${fg}`).toBeDefined();
          expect(b, `--${bg}`).toBeDefined();
          const ratio = contrast(f ?? '', b ?? '');
          if (ratio < 4.5) failing.push(`--${fg} ${f} on --${bg} ${b}: ${ratio.toFixed(2)}:1`);
        }
      }
      expect(failing).toEqual([]);
    });
  }
});
