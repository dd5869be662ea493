import { isScalar, LineCounter, parseDocument, Parser, type Document } from 'yaml';
import { configSource } from './bytes.js';
import { depthExceeds, MAX_DEPTH, nestingExceedsAt, positionIn, TOO_DEEP } from './nesting.js';
import { locatorOf, positionOf, START, type Override } from './positions.js';
import { STRING_PATHS } from './plan.js';
import { finding, type Finding } from '../findings.js';
import type { Config } from './schema.js';
import { describe, overIndentedLine, overIndentedMessage, parseErrorMessage } from './yaml-wording.js';

/**
 * Parse a config file's text (YAML, or JSON, which is YAML) into the schema's shape, with every
 * finding placed at its line and column. Pure: the caller reads the file. The guards, positions and
 * wording live beside this file, one concern each.
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

/** Syntax errors cascade: past the first few, more of them only bury the one to fix. */
const MAX_PARSE_FINDINGS = 10;

const atStart = (f: Finding): Finding => ({ ...START, ...f });

/**
 * Judges a parsed value against the schema; `place` puts a finding at its path. config-file.ts passes
 * zod's judgement; `validate` first passes the zod-free acceptor (config-plan.ts), which never words a finding.
 */
export type SchemaJudge = (value: unknown, place: (f: Finding, atKey: boolean) => Finding) => Omit<ParsedConfig, 'locate'>;

/** How the YAML library reads a config file (a line counter is added per file). */
export const YAML_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: true } as const;

/** Stray tokens (outside any document) past which the rest of a file is not composed. */
export const STRAY_LIMIT = 100;

/**
 * The part of `source` worth composing. Garbage (a file of `]`, a binary read as text) is thousands of
 * tokens outside any document, and the library builds an error for each: ~1 s for 64 KB, of which the
 * first MAX_PARSE_FINDINGS are shown. Past the STRAY_LIMIT-th such token the rest is cut off, at a token
 * boundary of the top level: what comes before composes to the same errors, in the same order. Files
 * of a normal size skip the extra pass.
 */
export function composable(source: string): string {
  if (source.length < 4096) return source;
  let stray = 0;
  for (const token of new Parser().parse(source)) {
    if (token.type === 'error' && ++stray > STRAY_LIMIT) return source.slice(0, token.offset);
  }
  return source;
}

/** The YAML library's document parser, as parseConfigTextWith calls it. */
export type ParseYaml = (source: string, options: { lineCounter: LineCounter } & Record<string, unknown>) => Document.Parsed;

/**
 * parseConfigText with the schema judged by `judge`: everything before the schema needs no zod. `parse` is
 * the YAML library's parser, or one that fails as the library does when its stack runs out (a test).
 */
export function parseConfigTextWith(
  judge: SchemaJudge,
  text: string,
  overrides: readonly Override[] = [],
  parse: ParseYaml = parseDocument,
): ParsedConfig {
  const { source, finding: tooLong } = configSource(text);
  if (source === undefined) return { findings: [tooLong], locate: atStart };
  const tooDeep = nestingExceedsAt(source, MAX_DEPTH);
  if (tooDeep !== undefined) {
    return { findings: [{ ...finding('config/parse', '', TOO_DEEP), ...positionIn(source, tooDeep) }], locate: atStart };
  }

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parse(composable(source), { ...YAML_OPTIONS, lineCounter });
  } catch (e) {
    return { findings: [atStart(finding('config/parse', '', `The file could not be parsed: ${describe(e)}.`))], locate: atStart };
  }
  const locate = locatorOf(doc, lineCounter, overrides);
  const at = (offset: number | undefined) => {
    if (offset === undefined) return START;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    // One over-indented line makes the parser report the lines around it (twice, thrice): name the one to fix.
    const deeper = overIndentedLine(source);
    if (deeper) {
      return {
        findings: [{ ...finding('config/parse', '', overIndentedMessage(deeper)), line: deeper.line, column: deeper.found + 1 }],
        locate,
      };
    }
    // Two errors of the library worded alike at one place (a tag it can neither read nor resolve) are one
    // finding; the first MAX_PARSE_FINDINGS of the distinct ones are shown.
    const findings = new Map<string, Finding>();
    for (const e of doc.errors) {
      if (findings.size === MAX_PARSE_FINDINGS) break;
      const f = { ...finding('config/parse', '', parseErrorMessage(e)), ...at(e.pos[0]) };
      const key = `${f.line}:${f.column}:${f.message}`;
      if (!findings.has(key)) findings.set(key, f);
    }
    return { findings: [...findings.values()], locate };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      findings: [
        {
          ...finding('config/schema', '', EMPTY),
          ...START,
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
  return { ...judge(value, (f, atKey) => ({ ...f, ...positionOf(doc, lineCounter, f.path, atKey) })), locate };
}

export const EMPTY = 'The file is empty. Start from examples/creatio-sso.yaml (version: 1, creatio, cognito).';

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
