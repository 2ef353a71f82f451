// The import graph of the engine and what it shares with the shells (issue 10): no circles, and
// `main/core` never reaches electron or react. Type-only imports count: a circle of types is still
// two files that cannot be read (or moved) one without the other.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every module a file names in an import or re-export (dynamic `import()` included). */
function specifiersOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** A relative specifier as the source file it names, or null when it names none of `files`. */
function resolveLocal(from: string, specifier: string, files: Set<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = relative(root, resolve(root, dirname(from), specifier)).replace(/\.(m?js)$/, '');
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) if (files.has(candidate)) return candidate;
  return null;
}

function graphOf(dirs: string[]): Map<string, string[]> {
  const files = new Set(dirs.flatMap(sourcesUnder));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = specifiersOf(file)
      .map((s) => resolveLocal(file, s, files))
      .filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Each circle once, as the files on it (Tarjan's strongly connected components of size > 1, or a self-import). */
function circlesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(component.sort());
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return circles;
}

describe('import graph', () => {
  const graph = graphOf(['main', 'shared']);

  it('reads the tree (the check would pass on an empty graph)', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('main/core/engine.ts')?.length).toBeGreaterThan(3);
  });

  it('has no import circles in main/ and shared/', () => {
    expect(circlesOf(graph)).toEqual([]);
  });

  it('finds a circle when there is one (the checker itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
    ]);
    expect(circlesOf(g)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('main/core never imports electron or react', () => {
    const offending = sourcesUnder('main/core').flatMap((file) =>
      specifiersOf(file)
        .filter((s) => /^(electron|react|react-dom)(\/|$)/.test(s))
        .map((s) => `${file} → ${s}`),
    );
    expect(offending).toEqual([]);
  });
});
