import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { composable, STRAY_LIMIT, YAML_OPTIONS } from '../../../src/core/config/parse.js';
import { MAX_DEPTH, nestingExceedsAt } from '../../../src/core/config/nesting.js';
import { parseConfigText } from '../../../src/core/config/file.js';
import { EXAMPLE_YAML } from '../../support/cli.js';

/**
 * A file of garbage is composed only up to its STRAY_LIMIT-th stray token (parse.ts): the findings shown
 * (the first ten errors) must be those of the whole file, wherever the garbage starts and whatever it is.
 */
const firstErrors = (source: string) =>
  parseDocument(source, YAML_OPTIONS)
    .errors.slice(0, 10)
    .map((e) => [e.code, e.pos[0], e.message]);

const stray = fc.constantFrom(
  ']',
  '}',
  ']]',
  ',',
  ' ',
  '\n',
  ']\n',
  'x',
  ': ',
  '- ',
  '"',
  "'",
  '#',
  '[',
  '{',
  '&a ',
  '*a ',
  '!t ',
  '%',
  '---\n',
  '...\n',
  '|',
  '>',
);

describe('a file of garbage', () => {
  it('gives the same first errors composed in part as in whole', () => {
    let cut = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('', EXAMPLE_YAML, 'a: 1\n', 'version: 1\ncreatio: ['),
        // Mostly stray closers (what the cut is for), with anything YAML can hold between them.
        fc.array(fc.oneof({ arbitrary: fc.constantFrom(']', '}', ']\n', ' ] '), weight: 3 }, { arbitrary: stray, weight: 1 }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 300, max: 3000 }),
        (head, unit, times) => {
          // Past 4 KB (smaller files are never cut), within 12 KB (composing the whole is the slow part).
          const source = (head + unit.join('').repeat(times)).slice(0, 12 * 1024);
          // Nesting past the limit never reaches the library (parse.ts stops it first): there its errors depend on the stack left.
          fc.pre(nestingExceedsAt(source, MAX_DEPTH) === undefined);
          const part = composable(source);
          if (part !== source) cut++;
          expect(firstErrors(part)).toEqual(firstErrors(source));
        },
      ),
      { numRuns: 30 },
    );
    // The property is about the cut: a good part of the files drawn must have been cut.
    expect(cut).toBeGreaterThan(5);
  });

  it('is cut only past its stray tokens, and leaves files of a normal size alone', () => {
    const garbage = ']'.repeat(60_000);
    expect(composable(garbage)).toBe(']'.repeat(STRAY_LIMIT));
    expect(composable(EXAMPLE_YAML)).toBe(EXAMPLE_YAML);
    const long = `${EXAMPLE_YAML}${'# a long comment\n'.repeat(500)}`;
    expect(composable(long)).toBe(long);
  });

  it('of 64 KB gets its ten findings in a fraction of the time the whole composition takes', () => {
    const garbage = ']'.repeat(60_000);
    const { findings } = parseConfigText(garbage);
    expect(findings).toHaveLength(10);
    expect(findings.map((f) => [f.line, f.column])).toEqual(Array.from({ length: 10 }, (_, i) => [1, i + 1]));
  });
});
