import { withSource } from '../text.js';
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { finding, type Finding } from '../findings.js';

/**
 * Parse positions: where a dotted config path (`cognito.region`) sits in the file, as line and
 * column. `locatorOf` answers from the syntax tree; `positionMap` keeps only the positions of a
 * config's keys, so findings that come later (live checks) can be placed after the tree is gone.
 */
export interface Position {
  line: number;
  column: number;
}

export const START: Position = { line: 1, column: 1 };

/** A value given by flag or environment variable, which wins over the file's. */
export interface Override {
  path: readonly string[];
  value: string;
  /** The flag or variable it came from, named in findings about it. */
  from: string;
}

/** Line and column of the node at a dotted path, or of its nearest existing ancestor. */
export function positionOf(doc: Document, lineCounter: LineCounter, path: string, atKey = false): Position {
  const offset = offsetOf(doc, path, atKey);
  if (offset === undefined) return START;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Place a finding at the line/column of its path; a value from a flag or variable names its source instead. */
export function locatorOf(doc: Document, lineCounter: LineCounter, overrides: readonly Override[]): (f: Finding) => Finding {
  return (f) => {
    if (f.line) return f;
    const o = overrides.find((o) => f.path === o.path.join('.'));
    // A value from a flag or variable has no place in the file.
    if (o) return { ...f, message: withSource(f.message, o.from, f.path) };
    return { ...f, ...positionOf(doc, lineCounter, f.path) };
  };
}

/**
 * The positions of every key of `located.config`, looked up through `located.locate` now, as a
 * function that places a later finding at its path's position or its nearest ancestor's (1:1 when
 * none is known). The syntax tree `locate` needs must not outlive the file; this map is small.
 */
export function positionMap(located: { locate: (f: Finding) => Finding; config?: unknown }): (f: Finding) => Finding {
  const at = new Map<string, Position>();
  const record = (path: string) => {
    const { line = 1, column = 1 } = located.locate(finding('config/schema', path, ''));
    at.set(path, { line, column });
  };
  const walk = (value: unknown, prefix: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      record(path);
      walk(child, path);
    }
  };
  record('');
  walk(located.config, '');
  return (f) => {
    if (f.line) return f;
    for (let path = f.path; ; path = path.slice(0, Math.max(0, path.lastIndexOf('.')))) {
      const position = at.get(path);
      if (position) return { ...f, ...position };
      if (!path) return { ...f, ...START };
    }
  };
}

function offsetOf(doc: Document, path: string, atKey: boolean): number | undefined {
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
