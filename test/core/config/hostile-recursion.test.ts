import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXAMPLE_YAML } from '../../support/cli.js';

/**
 * The stack can run out inside the YAML library however the input was screened (a smaller stack, a
 * shape the nesting scan does not foresee). Wherever the library gives up with a RangeError, the file
 * gets a config/parse finding. The library is wrapped so that it fails the way it does on a stack
 * overflow, at each of the three places it recurses.
 */
const failAt = vi.hoisted(() => ({ where: '' as '' | 'parse' | 'toJS' | 'compose' }));

vi.mock('yaml', async (importOriginal) => {
  const yaml = await importOriginal<typeof import('yaml')>();
  const overflow = () => new RangeError('Maximum call stack size exceeded');
  return {
    ...yaml,
    parseDocument: (...args: Parameters<typeof yaml.parseDocument>) => {
      if (failAt.where === 'parse') throw overflow();
      const doc = yaml.parseDocument(...args);
      if (failAt.where === 'compose') {
        // What yaml's composer records when its recursion overflows.
        const at = EXAMPLE_YAML.indexOf('creatio:');
        doc.errors.push(new yaml.YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', 'Maximum call stack size exceeded'));
      }
      if (failAt.where === 'toJS') {
        doc.toJS = () => {
          throw overflow();
        };
      }
      return doc;
    },
  };
});

const { parseConfigText } = await import('../../../src/core/config/file.js');

afterEach(() => {
  failAt.where = '';
});

describe('a stack overflow in the YAML library', () => {
  it('is not a crash when parsing: a config/parse finding at 1:1', () => {
    failAt.where = 'parse';
    const { findings, config } = parseConfigText(EXAMPLE_YAML);
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
    failAt.where = 'compose';
    const { findings } = parseConfigText(EXAMPLE_YAML);
    expect(findings.map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      ['config/parse', 3, 1, 'Not valid YAML/JSON: the file is nested too deeply; a config file is two or three levels deep.'],
    ]);
  });

  it('is a finding when converting to values', () => {
    failAt.where = 'toJS';
    const { findings } = parseConfigText(EXAMPLE_YAML);
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ['config/parse', 'The file could not be read: the file is nested too deeply.'],
    ]);
  });

  it('leaves the next file unharmed', () => {
    expect(parseConfigText(EXAMPLE_YAML).findings).toEqual([]);
  });
});
