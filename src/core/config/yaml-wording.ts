import type { YAMLError } from 'yaml';

/**
 * YAML syntax wording: the yaml package's errors in words that say what to fix, never quoting the
 * text at fault. The hints cover the errors users make; the library's own wording is the fallback.
 */
const PARSE_HINTS: Partial<Record<YAMLError['code'], string>> = {
  DUPLICATE_KEY: 'a key appears twice in the same mapping. Keep one of them',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (---). Keep one configuration per file',
  TAB_AS_INDENT: 'a tab indents this line. Indent YAML with spaces',
  RESOURCE_EXHAUSTION: 'the file is nested too deeply; a config file is two or three levels deep',
  NON_STRING_KEY: 'a key is a list, mapping or tagged value. Write keys as plain names',
  // The library quotes these from the file: the tag, the directive, the escape sequence (a carriage return included).
  TAG_RESOLVE_FAILED: 'a tag (a word starting with !) YAML cannot resolve. A config file needs no tags: remove it',
  BAD_COLLECTION_TYPE: 'a tag (a word starting with !) names a type this value cannot have. Remove the tag',
  BAD_DIRECTIVE: 'a directive (a line starting with %) YAML does not accept. A config file needs none: remove it',
  BAD_DQ_ESCAPE:
    'a backslash in a double-quoted value starts an escape YAML does not know (a Windows path, a regular expression). Write \\\\ for a backslash, or use single quotes',
};

/**
 * Library messages can quote the text at fault (a tag, a block scalar header, a token), which may be
 * a secret written in the wrong place: keep their wording up to the quote only.
 */
export function parseErrorMessage(e: YAMLError): string {
  const hint = PARSE_HINTS[e.code];
  if (hint) return `Not valid YAML/JSON: ${hint}.`;
  // Up to a quote, and up to any control character (the file's own, which the terminal would obey).
  const wording = firstLine(e.message)
    .replace(/:\s.*$/, '')
    .replace(/\p{Cc}[\s\S]*$/u, '');
  return `Not valid YAML/JSON: ${wording}. Fix the syntax at this line (quotes, colons, indentation).`;
}

export const firstLine = (s: string) => s.split('\n', 1)[0]!.replace(/\.$/, '');
export const describe = (e: unknown) =>
  e instanceof RangeError ? 'the file is nested too deeply' : firstLine(e instanceof Error ? e.message : String(e));

/** A line indented deeper than a `key: value` line above it: YAML reads it as more of that value. */
export interface OverIndented {
  /** 1-based line to fix. */
  line: number;
  /** The indentation it should have (the key above's), and the one it has. */
  expected: number;
  found: number;
  /** The key of the line above, whose value already ended. */
  above: string;
}

const KEY_VALUE = /^( *)([A-Za-z_][\w.-]*|"[^"]*"|'[^']*'):[ \t]+(?![|>]|#|&\w+\s*$|!\S+\s*$)\S/;
const KEY_ONLY = /^( *)([A-Za-z_][\w.-]*|"[^"]*"|'[^']*'):[ \t]*(?:#.*)?$/;

/**
 * The mistake behind most cascades of YAML errors in a config file: one line indented more than its
 * sibling above (`  url: https://…` then `   deployment: cloud`). The parser then reports the line above
 * (a multi-line key, a nested mapping in a compact one) and more after it; the fix is the deeper line.
 * Pure; undefined when no line looks like that.
 */
export function overIndentedLine(source: string): OverIndented | undefined {
  const lines = source.split(/\r?\n/);
  let previous: { indent: number; key: string; hasValue: boolean } | undefined;
  for (const [i, text] of lines.entries()) {
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const indent = /^ */.exec(text)![0].length;
    if (previous?.hasValue && indent > previous.indent && (KEY_VALUE.test(text) || KEY_ONLY.test(text))) {
      return { line: i + 1, expected: previous.indent, found: indent, above: previous.key };
    }
    const kv = KEY_VALUE.exec(text);
    const k = kv ?? KEY_ONLY.exec(text);
    previous = k ? { indent, key: k[2]!.replace(/^["']|["']$/g, ''), hasValue: kv !== null } : undefined;
  }
  return undefined;
}

export const overIndentedMessage = (o: OverIndented): string =>
  `This line is indented ${o.found} spaces, deeper than ${o.above}: on the line above, which already has a value, so YAML reads both lines as one value. Indent it ${o.expected} spaces, like ${o.above}:.`;
