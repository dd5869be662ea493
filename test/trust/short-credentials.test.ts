import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { shown } from '../../src/core/text.js';
import { createOutput } from '../../src/io/output.js';

/**
 * §10 Masking: "Every credential is masked whatever its length (a 3-character password included) wherever
 * it stands as a whole token." The output layer dropped any value under 8 characters, so a short Creatio or
 * test-user password was written as is wherever it appeared. Passwords register with `anyLength`; a short
 * client secret value (a literal in the file, or what a file's ${env:…} resolved, which is no Cognito secret)
 * still does not mask ordinary words: a pull request must not be able to mask `1` or `error` in the report.
 */
function written(secret: string, text: string, anyLength = true): string {
  const stream = new PassThrough();
  let out = '';
  stream.setEncoding('utf8').on('data', (d: string) => (out += d));
  const o = createOutput({ color: false, verbose: false, stdout: stream, stderr: new PassThrough(), env: {} });
  o.addSecret(secret, { anyLength });
  // The sample text is an outside value; its own final line break is the tool's.
  o.out(shown`${text.replace(/\n$/, '')}\n`);
  return out;
}

describe('a short credential is masked where it stands as a whole token', () => {
  it.each([
    ['abc', 'the password abc was refused\n', 'the password ******** was refused\n'],
    ['P@1', 'PASSWORD=P@1\n', 'PASSWORD=********\n'],
    ['a.b*c', '"a.b*c"\n', '"********"\n'],
    ['Zürich7', 'Zürich7 at the start\n', '******** at the start\n'],
  ])('%s', (secret, text, masked) => {
    expect(written(secret, text)).toBe(masked);
  });

  it.each([
    ['abc', 'abcdef and xabc and abc_1 stay: parts of words are not the password\n'],
    ['P@1', 'P@12 is another token\n'],
  ])('%s inside a longer word is left alone', (secret, text) => {
    expect(written(secret, text)).toBe(text);
  });

  it('a short value that is not a password (a client secret a file names) masks nothing', () => {
    expect(written('1', '::error file=creatio-sso.yaml,line=1::1 error\n', false)).toBe('::error file=creatio-sso.yaml,line=1::1 error\n');
  });
});
