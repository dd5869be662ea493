import type { ZodError } from 'zod';
import { finding, type Finding } from '../findings.js';
import { clipValue, visible } from '../text.js';
import { ConfigSchema } from './schema.js';

/**
 * Schema messages: zod's issues as findings a user can act on (a missing key, a wrong type, an
 * unknown key with its likely meaning). Messages never quote a value, which may be a secret.
 */
export interface SchemaFinding {
  f: Finding;
  /** Placed at the key (an unknown key) rather than at its value. */
  atKey: boolean;
}

export function schemaFindings(error: ZodError): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  const push = (f: Finding, atKey = false) => out.push({ f, atKey });
  // One typo, one finding: a missing key that an unknown key beside it most likely means is said by the "did you mean".
  const meantPaths = new Set<string>();
  const missingPaths = new Set<string>();
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...base, key].join('.');
        const meant = closestKey(key, knownKeysAt(base));
        if (meant) meantPaths.add([...base, meant].join('.'));
        const fix = meant
          ? `Did you mean "${meant}"?`
          : `Remove it; ${base.length ? shown(base.join('.')) : 'the top level'} takes ${knownKeysAt(base).join(', ')}.`;
        push(
          finding('config/schema', path, `Unknown key "${shown(key)}"${base.length ? ` in ${shown(base.join('.'))}` : ''}. ${fix}`),
          true,
        );
      }
      continue;
    }
    const path = base.join('.');
    const name = shown(path) || 'the file';
    if (issue.code === 'invalid_type' && !path) {
      // A top-level list or scalar: no key of the file can be right.
      push(
        finding(
          'config/schema',
          path,
          `The file must be a mapping of keys (version: 1, creatio:, cognito:), not ${typeName(issue.input)}. Start from examples/creatio-sso.yaml.`,
        ),
      );
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      missingPaths.add(path);
      push(finding('config/schema', path, `Missing required key ${name}.`));
    } else if (issue.code === 'invalid_type') {
      push(finding('config/schema', path, `${name} must be ${expected(issue.expected)}, not ${typeName(issue.input)}.`));
    } else if (issue.code === 'invalid_value') {
      push(finding('config/schema', path, `${name} must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}.`));
    } else if (issue.code === 'too_small') {
      push(finding('config/schema', path, `${name} must not be empty.`));
    } else {
      push(finding('config/schema', path, `${name}: ${issue.message}.`));
    }
  }
  return out.filter(({ f, atKey }) => atKey || !(missingPaths.has(f.path) && meantPaths.has(f.path)));
}

/** The keys the schema allows at a path (for "did you mean"). */
function knownKeysAt(path: readonly string[]): string[] {
  const unwrap = (t: unknown): unknown => {
    let s = t as { def?: { type?: string; innerType?: unknown } } | undefined;
    while (s?.def && (s.def.type === 'default' || s.def.type === 'optional')) s = s.def.innerType as typeof s;
    return s;
  };
  let schema = unwrap(ConfigSchema) as { shape?: Record<string, unknown> } | undefined;
  for (const key of path) schema = unwrap(schema?.shape?.[key]) as typeof schema;
  return schema?.shape ? Object.keys(schema.shape).filter((k) => k !== '$schema') : [];
}

/** The known key a misspelt one most likely means: same letters ignoring case, "_" and "-", or one or two edits away. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const fold = (k: string) => k.toLowerCase().replace(/[_-]/g, '');
  const exact = known.find((k) => fold(k) === fold(key));
  if (exact) return exact;
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(fold(key), fold(k));
    if (d <= 2 && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64 || b.length > 64) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

const EXPECTED: Record<string, string> = {
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  string: 'text',
  number: 'a number',
};
const expected = (t: string) => EXPECTED[t] ?? t;
/** The kind of a value, never the value itself (it may be a secret). */
function typeName(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'boolean') return 'true/false';
  return `a ${typeof v}`;
}
/**
 * A key as a message may show it: one line (a key may hold a line break or a terminal escape, which
 * would let a file forge report lines), and not unbounded.
 */
export function shown(key: string): string {
  return clipValue(visible(key), 80);
}
