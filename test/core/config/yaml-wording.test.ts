import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../../../src/core/config/validate.js';
import { overIndentedLine } from '../../../src/core/config/yaml-wording.js';
import { EXAMPLE_YAML } from '../../support/cli.js';

describe('one over-indented line is one finding, at that line', () => {
  it.each<[string, string, { line: number; expected: number; found: number; above: string } | undefined]>([
    ['a sibling one space deeper', 'creatio:\n  url: https://a\n   deployment: cloud\n', { line: 3, expected: 2, found: 3, above: 'url' }],
    ['a key without value below a key with one', 'a: 1\n  b:\n', { line: 2, expected: 0, found: 2, above: 'a' }],
    ['comments and blank lines between', 'a: 1\n\n  # note\n    b: 2\n', { line: 4, expected: 0, found: 4, above: 'a' }],
    ['a nested mapping under a key without value is fine', 'a:\n  b: 1\n', undefined],
    ['a block scalar is fine', 'a: |\n  text: here\n', undefined],
    ['an anchor alone is fine', 'a: &x\n  b: 1\n', undefined],
    ['list items are not keys', 'a: 1\n  - b\n', undefined],
  ])('%s', (_name, text, expected) => {
    expect(overIndentedLine(text)).toEqual(expected);
  });

  it('validate: the example with `region:` one space too deep gives one config/parse finding at that line, in plain words', () => {
    const text = EXAMPLE_YAML.replace('  region: eu-west-1', '   region: eu-west-1');
    const line = text.split('\n').findIndex((l) => l.startsWith('   region:')) + 1;
    const { findings } = validateConfigText(text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'config/parse', line, column: 4 });
    expect(findings[0]!.message).toContain('Indent it 2 spaces, like userPoolId:');
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('a: 1', '  b: 2', '   c:', '#x', '', '- d', 'e: |', '"f": g'), fc.string()), { maxLength: 12 }),
        (lines) => {
          const o = overIndentedLine(lines.join('\n'));
          return o === undefined || (o.line >= 1 && o.found > o.expected);
        },
      ),
    );
  });
});

describe("the library's words, without the file's text", () => {
  it.each<[string, string]>([
    ['an unknown escape, then a carriage return', 'creatio:\n  url: "C:\\url\r\n'],
    ['\\u without four hex digits, then a carriage return', 'provider:\n  displayName: "\\u\r\n"\n'],
    ['an unknown escape, then a terminal sequence', 'provider:\n  displayName: "\\q\u001b]0;pwned\u0007"\n'],
  ])('%s: a hint that says what to write, no control character, no quote of the value', (_name, text) => {
    const messages = validateConfigText(text).findings.map((f) => f.message);
    expect(messages).toContain(
      'Not valid YAML/JSON: a backslash in a double-quoted value starts an escape YAML does not know (a Windows path, a regular expression). Write \\\\ for a backslash, or use single quotes.',
    );
    for (const m of messages) {
      expect(m).not.toMatch(/\p{Cc}/u);
      expect(m).not.toMatch(/\\(url|u\b|q)/);
    }
  });
});

describe('tags and directives: what to do, not the file’s words', () => {
  it.each<[string, string, string]>([
    [
      'a tag handle without a suffix',
      'version: !e! 1\n',
      'a tag (a word starting with !) YAML cannot resolve. A config file needs no tags: remove it',
    ],
    [
      'a directive YAML does not accept',
      '%YAML 1.9 x\n---\nversion: 1\n',
      'a directive (a line starting with %) YAML does not accept. A config file needs none: remove it',
    ],
  ])('%s: one finding, in plain words', (_name, text, hint) => {
    const parse = validateConfigText(text).findings.filter((f) => f.code === 'config/parse');
    expect(parse.map((f) => f.message)).toEqual([`Not valid YAML/JSON: ${hint}.`]);
  });
});

describe('the ten syntax findings shown', () => {
  it('are ten distinct ones when the library words two errors alike at one place', () => {
    // Each `!e!` is two library errors at one place (no suffix; not resolved): one finding each.
    const text = Array.from({ length: 12 }, (_, i) => `k${i}: !e! 1`).join('\n');
    const parse = validateConfigText(text).findings.filter((f) => f.code === 'config/parse');
    expect(parse.map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
