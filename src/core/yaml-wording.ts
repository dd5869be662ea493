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
};

/**
 * Library messages can quote the text at fault (a tag, a block scalar header, a token), which may be
 * a secret written in the wrong place: keep their wording up to the quote only.
 */
export function parseErrorMessage(e: YAMLError): string {
  const hint = PARSE_HINTS[e.code];
  if (hint) return `Not valid YAML/JSON: ${hint}.`;
  const wording = firstLine(e.message).replace(/:\s.*$/, '');
  return `Not valid YAML/JSON: ${wording}. Fix the syntax at this line (quotes, colons, indentation).`;
}

export const firstLine = (s: string) => s.split('\n', 1)[0]!.replace(/\.$/, '');
export const describe = (e: unknown) =>
  e instanceof RangeError ? 'the file is nested too deeply' : firstLine(e instanceof Error ? e.message : String(e));
