import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Every module of src/ (tests aside) and the modules of src/ it imports. */
function importGraph() {
  const modules = (readdirSync(SRC, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(SRC, file));
  const graph = new Map<string, string[]>();
  for (const file of modules) {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)].map((m) =>
      resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')),
    );
    graph.set(
      file,
      imports.filter((target) => modules.includes(target)),
    );
  }
  return graph;
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0] ?? '';

/** What each lower layer may import (README, Where the code lives); the rest sit on top of them. */
const MAY_IMPORT: Record<string, string[]> = {
  lib: ['lib'],
  cart: ['cart', 'lib'],
  data: ['data', 'cart', 'lib'],
};

it('keeps the layers: lib imports nothing of the project, cart only lib, data only cart and lib', () => {
  const wrong: string[] = [];
  for (const [file, imports] of importGraph()) {
    const allowed = MAY_IMPORT[layerOf(file)];
    if (allowed === undefined) continue;
    for (const target of imports)
      if (!allowed.includes(layerOf(target))) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
  }
  expect(wrong).toEqual([]);
});

it('has no import circle in src/', () => {
  const graph = importGraph();
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      circles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(circles).toEqual([]);
  expect(graph.size).toBeGreaterThan(50);
});

it('has no handler that imports another handler or reaches for the database', () => {
  const wrong: string[] = [];
  for (const [file, imports] of importGraph()) {
    if (!file.endsWith('.handlers.ts')) continue;
    for (const target of imports)
      if (target.endsWith('.handlers.ts')) wrong.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
    if (/\.db\b/.test(readFileSync(file, 'utf8'))) wrong.push(`${relative(SRC, file)} touches .db`);
  }
  expect(wrong).toEqual([]);
});

it('has nothing above the store but the runtimes reach for the database: the Store is the only door', () => {
  const wrong: string[] = [];
  for (const file of importGraph().keys()) {
    const at = relative(SRC, file);
    if (at.startsWith('data/') || at.startsWith('runtime/')) continue;
    // `store.db`, `{ db } = …`; not a file name such as cart.db in a string.
    if (/\.db\b(?!['"`])|\{\s*db\s*\}\s*=/.test(readFileSync(file, 'utf8'))) wrong.push(`${at} touches the database`);
  }
  expect(wrong).toEqual([]);
});
