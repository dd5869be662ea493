import * as yaml from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/file.js';
import { parseConfigTextWith, type ParseYaml, type SchemaJudge } from '../../../src/core/config/parse.js';
import { EXAMPLE_YAML } from '../../support/cli.js';

/**
 * The stack can run out inside the YAML library however the input was screened (a smaller stack, a
 * shape the nesting scan does not foresee). Wherever the library gives up with a RangeError, the file
 * gets a config/parse finding. The library's parser is wrapped so that it fails the way it does on a
 * stack overflow, at each of the three places it recurses, and passed to parseConfigTextWith.
 */
type Where = 'parse' | 'toJS' | 'compose';
const overflow = () => new RangeError('Maximum call stack size exceeded');
const failingAt =
  (where: Where): ParseYaml =>
  (source, options) => {
    if (where === 'parse') throw overflow();
    const doc = yaml.parseDocument(source, options);
    if (where === 'compose') {
      // What yaml's composer records when its recursion overflows.
      const at = EXAMPLE_YAML.indexOf('creatio:');
      doc.errors.push(new yaml.YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', 'Maximum call stack size exceeded'));
    }
    if (where === 'toJS') {
      doc.toJS = () => {
        throw overflow();
      };
    }
    return doc;
  };
/** Every failure ends before the schema is judged. */
const notJudged: SchemaJudge = () => {
  throw new Error('the schema was judged after the YAML library failed');
};
const parsedFailingAt = (where: Where) => parseConfigTextWith(notJudged, EXAMPLE_YAML, [], failingAt(where));

describe('a stack overflow in the YAML library', () => {
  it('is not a crash when parsing: a config/parse finding at 1:1', () => {
    const { findings, config } = parsedFailingAt('parse');
    expect(config).toBeUndefined();
    expect(findings).toEqual([
      {
        line: 1,
        column: 1,
        code: 'config/parse',
        severity: 'error',
        path: '',
        message: 'The file could not be parsed: the file is nested too deeply.',
      },
    ]);
  });

  it('is a finding at its place when the composer reports it', () => {
    const { findings } = parsedFailingAt('compose');
    expect(findings.map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      ['config/parse', 3, 1, 'Not valid YAML/JSON: the file is nested too deeply; a config file is two or three levels deep.'],
    ]);
  });

  it('is a finding when converting to values', () => {
    const { findings } = parsedFailingAt('toJS');
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ['config/parse', 'The file could not be read: the file is nested too deeply.'],
    ]);
  });

  it('leaves the next file unharmed', () => {
    for (const where of ['parse', 'compose', 'toJS'] as const) parsedFailingAt(where);
    expect(parseConfigText(EXAMPLE_YAML).findings).toEqual([]);
  });
});
