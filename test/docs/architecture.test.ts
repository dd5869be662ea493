import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/**
 * The shape CONTRIBUTING.md draws, held by a test: no module imports one that imports it back (type
 * imports and lazy import() count: they are how a circle starts), and src/core stays pure.
 */
const SRC = path.join(ROOT, 'src');
const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(SRC, f));

/** Relative module specifiers of a file: static imports and re-exports (type ones too) and import(). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms),
    ...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specs.map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'));
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Strongly connected groups of more than one module (Tarjan), or a module importing itself. */
function circles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do group.push((w = stack.pop()!));
      while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.map((f) => path.relative(SRC, f)));
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the architecture', () => {
  it('reads every module of src/', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(path.join(SRC, 'cli/run.ts'))).toContain(path.join(SRC, 'commands/validate.ts'));
  });

  it('has no import circles', () => {
    expect(circles()).toEqual([]);
  });

  it('keeps src/core pure: no Node module but node:url, no process, no import from outside core', () => {
    const impure = files
      .filter((f) => f.startsWith(path.join(SRC, 'core') + path.sep))
      .flatMap((f) => {
        const text = readFileSync(f, 'utf8');
        const problems: string[] = [];
        // node:url's domainToASCII is a pure function (hosts/names.ts says why it may stay); nothing else of Node.
        for (const m of text.matchAll(/(?:from\s+|import\(\s*)'(node:[^']+)'/g)) if (m[1] !== 'node:url') problems.push(m[1]!);
        if (/\brequire\(/.test(text)) problems.push('require()');
        if (/\bprocess\.(env|stdout|stderr|stdin|exit|cwd|argv)\b/.test(text)) problems.push('process');
        for (const target of graph.get(f) ?? [])
          if (!target.startsWith(path.join(SRC, 'core') + path.sep)) problems.push(path.relative(SRC, target));
        return problems.map((p) => `${path.relative(SRC, f)}: ${p}`);
      });
    expect(impure).toEqual([]);
  });
});
