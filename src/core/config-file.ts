import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ZodError } from 'zod';
import { finding, type Finding } from './findings.js';
import { ConfigSchema, STRING_PATHS, type Config } from './schema.js';

/**
 * Parse a config file's text (YAML, or JSON, which is YAML) into the schema's shape, with every
 * finding placed at its line and column. Pure: the caller reads the file.
 */
export interface ParsedConfig {
  /** The parsed config, when the file matches the schema. */
  config?: Config;
  findings: Finding[];
  /** Place a finding at the line/column of its path. */
  locate: (f: Finding) => Finding;
}

/** Larger inputs are refused before parsing: a config file is a few hundred bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;

export function decodeConfigBytes(bytes: Uint8Array): { text?: string; finding?: Finding } {
  if (bytes.byteLength > MAX_CONFIG_BYTES) {
    return { finding: finding('config/parse', '', `The file is ${bytes.byteLength} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes. Point the command at the config file.`) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { finding: { ...finding('config/parse', '', 'The file is not UTF-8 text. Save it as UTF-8.'), line: 1, column: 1 } };
  }
  if (text.includes('\u0000')) {
    return { finding: { ...finding('config/parse', '', 'The file contains NUL bytes: it is binary, not a YAML/JSON config file.'), line: 1, column: 1 } };
  }
  return { text };
}

/** A value given by flag or environment variable, which wins over the file's (§3). */
export interface Override {
  path: readonly string[];
  value: string;
  /** The flag or variable it came from, named in findings about it. */
  from: string;
}

export function parseConfigText(text: string, overrides: readonly Override[] = []): ParsedConfig {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined) => {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const noLocate = (f: Finding) => ({ line: 1, column: 1, ...f });

  let doc: Document.Parsed;
  try {
    doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: true });
  } catch (e) {
    return { findings: [noLocate(finding('config/parse', '', `The file could not be parsed: ${describe(e)}.`))], locate: noLocate };
  }
  const overridden = (f: Finding) => overrides.find((o) => f.path === o.path.join('.'));
  const locate = (f: Finding): Finding => {
    if (f.line) return f;
    const o = overridden(f);
    // A value from a flag or variable has no place in the file: name its source instead.
    if (o) return { ...f, message: `${f.message} (from ${o.from})` };
    return { ...f, ...at(offsetOf(doc, f.path)) };
  };

  if (doc.errors.length > 0) {
    const findings = doc.errors.map((e) => ({
      ...finding('config/parse', '', `Not valid YAML/JSON: ${firstLine(e.message)}.`),
      ...at(e.pos[0]),
    }));
    return { findings, locate };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { findings: [{ ...finding('config/schema', '', 'The file is empty. Start from the example in the README (version: 1, creatio, cognito).'), line: 1, column: 1 }], locate };
  }
  if (depthExceeds(doc.contents, MAX_DEPTH)) {
    return { findings: [locate(finding('config/parse', '', `The file nests deeper than ${MAX_DEPTH} levels; a config file is two or three levels deep.`))], locate };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { findings: [locate(finding('config/parse', '', `The file could not be read: ${describe(e)}.`))], locate };
  }
  keepStringSources(doc, value);
  applyOverrides(value, overrides);

  // reportInput tells a missing key (input undefined) from a wrong type; messages never quote values.
  const result = ConfigSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const findings = schemaFindings(result.error).map(({ f, atKey }) => ({ ...f, ...at(offsetOf(doc, f.path, atKey)) }));
    return { findings, locate };
  }
  return { config: result.data, findings: [], locate };
}

function schemaFindings(error: ZodError): { f: Finding; atKey: boolean }[] {
  const out: { f: Finding; atKey: boolean }[] = [];
  const push = (f: Finding, atKey = false) => out.push({ f, atKey });
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...base, key].join('.');
        push(finding('config/schema', path, `Unknown key "${key}"${base.length ? ` in ${base.join('.')}` : ''}. Remove it or check its spelling against the README.`), true);
      }
      continue;
    }
    const path = base.join('.');
    const name = path || 'the file';
    if (issue.code === 'invalid_type' && issue.input === undefined) {
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
  return out;
}

const EXPECTED: Record<string, string> = { boolean: 'true or false', object: 'a mapping', record: 'a mapping', string: 'text', number: 'a number' };
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
const firstLine = (s: string) => s.split('\n', 1)[0]!.replace(/\.$/, '');
const describe = (e: unknown) => (e instanceof RangeError ? 'the file is nested too deeply' : firstLine(e instanceof Error ? e.message : String(e)));

/** Offset of the node at a dotted path, falling back to the nearest existing ancestor. */
function offsetOf(doc: Document, path: string, atKey = false): number | undefined {
  const keys = path ? path.split('.') : [];
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const [i, key] of keys.entries()) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (!pair) break;
    const keyNode = pair.key as Node;
    if (atKey && i === keys.length - 1) return keyNode.range?.[0];
    node = pair.value;
    offset = (isScalar(node) || isMap(node) || isSeq(node) ? (node as Node).range?.[0] : undefined) ?? keyNode.range?.[0];
  }
  return offset;
}

function depthExceeds(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push([item.key, depth + 1], [item.value, depth + 1]);
        } else stack.push([item, depth + 1]);
      }
    }
  }
  return false;
}

/** A plain scalar such as `clientId: 123e45` is a number to YAML; the schema wants the text as written. */
function keepStringSources(doc: Document, value: unknown): void {
  for (const path of STRING_PATHS) {
    const node = doc.getIn(path as string[], true);
    if (!isScalar(node) || typeof node.value !== 'number' || typeof node.source !== 'string') continue;
    let target = value as Record<string, unknown> | undefined;
    for (const key of path.slice(0, -1)) {
      const next = target?.[key];
      target = next && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
    }
    if (target) target[path[path.length - 1]!] = node.source;
  }
}

function applyOverrides(value: unknown, overrides: readonly Override[]): void {
  if (!overrides.length || !value || typeof value !== 'object' || Array.isArray(value)) return;
  for (const { path, value: v } of overrides) {
    let target = value as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (!next || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]!] = v;
  }
}
