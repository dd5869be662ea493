import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLError } from 'yaml';
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
  /** The file's mapping when it parsed but broke the schema: its values can still be checked. */
  raw?: Record<string, unknown>;
  findings: Finding[];
  /** Place a finding at the line/column of its path. */
  locate: (f: Finding) => Finding;
}

/**
 * Larger inputs are refused before parsing. A config file is a few hundred bytes; 64 KiB leaves room
 * for comments and many claim rows, while the YAML parser's time and memory on hostile input grow
 * fast with size (a 1 MiB file of `[` takes it past a gigabyte).
 */
export const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_DEPTH = 64;
const TOO_DEEP = `The file nests deeper than ${MAX_DEPTH} levels; a config file is two or three levels deep.`;
/** Syntax errors cascade: past the first few, more of them only bury the one to fix. */
const MAX_PARSE_FINDINGS = 10;

export function decodeConfigBytes(bytes: Uint8Array): { text?: string; finding?: Finding } {
  if (bytes.byteLength > MAX_CONFIG_BYTES) {
    return {
      finding: {
        ...finding(
          'config/parse',
          '',
          `The file is ${bytes.byteLength} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes. Point the command at the config file.`,
        ),
        line: 1,
        column: 1,
      },
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { finding: { ...finding('config/parse', '', 'The file is not UTF-8 text. Save it as UTF-8.'), line: 1, column: 1 } };
  }
  if (text.includes('\u0000')) {
    return {
      finding: {
        ...finding('config/parse', '', 'The file contains NUL bytes: it is binary, not a YAML/JSON config file.'),
        line: 1,
        column: 1,
      },
    };
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
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // A lone CR ends a line in YAML 1.2, but not for the yaml package: make it LF (same offsets).
  const source = /\r(?!\n)/.test(withoutBom) ? withoutBom.replace(/\r(?!\n)/g, '\n') : withoutBom;
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined) => {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const noLocate = (f: Finding) => ({ line: 1, column: 1, ...f });

  if (source.length > MAX_CONFIG_BYTES) {
    return {
      findings: [
        {
          ...finding(
            'config/parse',
            '',
            `The file has ${source.length} characters; a config file is at most ${MAX_CONFIG_BYTES}. Point the command at the config file.`,
          ),
          line: 1,
          column: 1,
        },
      ],
      locate: noLocate,
    };
  }
  const tooDeep = nestingExceedsAt(source, MAX_DEPTH);
  if (tooDeep !== undefined) {
    const { line, col } = lineCounterOf(source).linePos(tooDeep);
    return { findings: [{ ...finding('config/parse', '', TOO_DEEP), line, column: col }], locate: noLocate };
  }

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
    const findings = doc.errors.slice(0, MAX_PARSE_FINDINGS).map((e) => ({
      ...finding('config/parse', '', parseErrorMessage(e)),
      ...at(e.pos[0]),
    }));
    return { findings, locate };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      findings: [
        {
          ...finding('config/schema', '', 'The file is empty. Start from the example in the README (version: 1, creatio, cognito).'),
          line: 1,
          column: 1,
        },
      ],
      locate,
    };
  }
  if (depthExceeds(doc.contents, MAX_DEPTH)) {
    return { findings: [locate(finding('config/parse', '', TOO_DEEP))], locate };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    // yaml throws a ReferenceError when aliases expand too often (an "alias bomb").
    const why =
      e instanceof ReferenceError && /alias/i.test(e.message)
        ? 'it expands YAML aliases (*name) too often. A config file needs no aliases: write the values out'
        : describe(e);
    return { findings: [locate(finding('config/parse', '', `The file could not be read: ${why}.`))], locate };
  }
  keepStringSources(doc, value);
  applyOverrides(value, overrides);

  // reportInput tells a missing key (input undefined) from a wrong type; messages never quote values.
  const result = ConfigSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const findings = schemaFindings(result.error).map(({ f, atKey }) => ({ ...f, ...at(offsetOf(doc, f.path, atKey)) }));
    const raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    return { findings, locate, ...(raw ? { raw } : {}) };
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
        const meant = closestKey(key, knownKeysAt(base));
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
          `The file must be a mapping of keys (version: 1, creatio:, cognito:), not ${typeName(issue.input)}. Start from the example in the README.`,
        ),
      );
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
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
function shown(key: string): string {
  const printable = key.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return printable.length > 80 ? `${printable.slice(0, 77)}…` : printable;
}

/** What to do about the YAML syntax errors users make; the library's own wording is the fallback. */
const PARSE_HINTS: Partial<Record<YAMLError['code'], string>> = {
  DUPLICATE_KEY: 'a key appears twice in the same mapping. Keep one of them',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (---). Keep one configuration per file',
  TAB_AS_INDENT: 'a tab indents this line. Indent YAML with spaces',
  RESOURCE_EXHAUSTION: 'the file is nested too deeply; a config file is two or three levels deep',
  NON_STRING_KEY: 'a key is a list, mapping or tagged value. Write keys as plain names',
};

/**
 * Library messages can quote the text at fault (a tag, a block scalar header, a token), which may be
 * a secret written in the wrong place: keep their wording up to the quote only.
 */
function parseErrorMessage(e: YAMLError): string {
  const hint = PARSE_HINTS[e.code];
  if (hint) return `Not valid YAML/JSON: ${hint}.`;
  const wording = firstLine(e.message).replace(/:\s.*$/, '');
  return `Not valid YAML/JSON: ${wording}. Fix the syntax at this line (quotes, colons, indentation).`;
}

const firstLine = (s: string) => s.split('\n', 1)[0]!.replace(/\.$/, '');
const describe = (e: unknown) =>
  e instanceof RangeError ? 'the file is nested too deeply' : firstLine(e instanceof Error ? e.message : String(e));

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

function lineCounterOf(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === undefined;

/**
 * Where the text nests deeper than `limit`, found in one linear pass before the YAML parser sees it:
 * the parser recurses per level, and its time and memory explode on deep nesting. Counts flow
 * brackets (skipping quoted text and comments, as YAML does) and block levels (indentation plus
 * compact `- `/`? `/`: ` indicators). It over-counts in odd corners (a bracket starting a continued
 * plain scalar), never under-counts flow nesting, and a real config is three levels deep.
 */
export function nestingExceedsAt(text: string, limit: number): number | undefined {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  // Skip a quoted scalar starting at `i` (on its quote); returns the index after its closing quote.
  const skipQuoted = (at: number): number => {
    const q = text[at];
    let j = at + 1;
    while (j < n) {
      const c = text[j];
      if (q === '"' && c === '\\') j += 2;
      else if (c === q) {
        if (q === "'" && text[j + 1] === "'") j += 2;
        else return j + 1;
      } else j++;
    }
    return n;
  };
  const skipToLineEnd = (at: number): number => {
    const e = text.indexOf('\n', at);
    return e < 0 ? n : e;
  };
  while (i < n) {
    // At the start of a line. Block levels are the columns nodes start at: the indentation, and the
    // column after each compact `- `/`? `/`: ` indicator; a line closes the levels right of its indent.
    const lineStart = i;
    while (text[i] === ' ') i++;
    // The column of the node a block scalar on this line belongs to: its content is indented deeper.
    let ownerColumn = i - lineStart;
    if (flow === 0) {
      const c = text[i];
      if (c === '\n' || c === '\r' || c === '#' || i >= n) {
        i = skipToLineEnd(i) + 1;
        continue;
      }
      const indent = i - lineStart;
      // A document marker (--- or ...) may be followed by a node on the same line.
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlank(text[i + 3])) i += 3;
      while (indents.length && indents[indents.length - 1]! > indent) indents.pop();
      if (indents[indents.length - 1] !== indent) indents.push(indent);
      while ((text[i] === '-' || text[i] === '?' || text[i] === ':') && isBlank(text[i + 1])) {
        ownerColumn = i - lineStart;
        i++;
        while (text[i] === ' ' || text[i] === '\t') i++;
        indents.push(i - lineStart);
        if (indents.length > limit) return i;
      }
      if (indents.length > limit) return i;
    }
    // The rest of the line, token by token. `start`: the next character may begin a scalar.
    let start = true;
    while (i < n && text[i] !== '\n') {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\r') {
        i++;
        if (text[i] === '#') i = skipToLineEnd(i);
        else if (flow > 0) start = true;
        continue;
      }
      if (c === '#' && start && flow === 0) {
        i = skipToLineEnd(i);
        continue;
      }
      if ((c === '[' || c === '{') && (start || flow > 0)) {
        if (++flow > limit) return i;
        i++;
        start = true;
        continue;
      }
      if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        i++;
        start = flow > 0;
        continue;
      }
      if (c === ',' && flow > 0) {
        i++;
        start = true;
        continue;
      }
      if ((c === '"' || c === "'") && start) {
        i = skipQuoted(i);
        start = false;
        continue;
      }
      if ((c === ':' || c === '?' || c === '-') && isBlank(text[i + 1])) {
        // After a key, a block scalar belongs to the key.
        if (c === ':' && flow === 0) ownerColumn = indents[indents.length - 1] ?? 0;
        i++;
        start = true;
        continue;
      }
      if (c === ':' && flow > 0) {
        // JSON style `"key":value` inside flow collections.
        i++;
        start = true;
        continue;
      }
      if ((c === '&' || c === '!') && start) {
        // An anchor or tag: the node follows it.
        while (i < n && !isBlank(text[i]) && !(flow > 0 && ',[]{}'.includes(text[i]!))) i++;
        continue;
      }
      if (start && flow === 0 && (c === '|' || c === '>')) {
        // A block scalar: its lines are text. They are indented as its first non-empty line (or
        // by the header's indentation indicator), deeper than the node it belongs to.
        const digit = /[1-9]/.exec(text.slice(i + 1, i + 3))?.[0];
        let contentIndent = digit ? ownerColumn + Number(digit) : undefined;
        i = skipToLineEnd(i);
        while (i < n) {
          let j = i + 1;
          while (text[j] === ' ') j++;
          const k = j - i - 1;
          const blank = j >= n || text[j] === '\n' || text[j] === '\r';
          if (!blank) {
            contentIndent ??= k;
            if (k <= ownerColumn || k < contentIndent) break;
          }
          i = skipToLineEnd(j);
        }
        continue;
      }
      // Inside a plain scalar: flow indicators end it within flow collections only.
      start = false;
      i++;
    }
    i++;
  }
  return undefined;
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
