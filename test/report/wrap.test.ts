import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import wrapAnsi from 'wrap-ansi';
import { columnsOf, DEFAULT_COLUMNS, wrapLine, wrapProse } from '../../src/io/output.js';
import { formatFindingsText } from '../../src/report/findings.js';
import { finding } from '../../src/core/findings.js';
import { createOutput } from '../../src/io/output.js';
import { EXAMPLE_YAML, runCli, tempDir } from '../support/cli.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const plain = createOutput({
  color: false,
  verbose: false,
  stdout: { isTTY: false } as never,
  stderr: { isTTY: false } as never,
  env: {},
}).color;
const URL = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration';
const LONG = `The discovery document at ${URL} could not be read: the connection was refused. Check the network and proxy settings (HTTPS_PROXY).`;
const width = (s: string) => Math.max(...s.split('\n').map((l) => l.length));

describe('wrapProse', () => {
  it('breaks at word boundaries within the width, never inside a word', () => {
    const text = 'Nothing was written: the live checks could not be completed. Run again, raise --timeout, or pass --offline to skip them.';
    const wrapped = wrapProse(text, 50);
    expect(width(wrapped)).toBeLessThanOrEqual(50);
    expect(wrapped.replace(/\n/g, ' ')).toBe(text);
  });

  it('keeps a URL longer than the line whole, on a line of its own', () => {
    const lines = wrapProse(LONG, 60).split('\n');
    expect(lines).toContain(URL);
    expect(lines.filter((l) => l !== URL).every((l) => l.length <= 60)).toBe(true);
  });

  it('indents continuation lines and keeps the line breaks the text has', () => {
    const wrapped = wrapProse('first line\nsecond line that is long enough to wrap somewhere near the end', 40, 4);
    const lines = wrapped.split('\n');
    expect(lines[0]).toBe('first line');
    expect(lines[1]!.startsWith('second')).toBe(true);
    expect(lines.slice(2).every((l) => l.startsWith('    ') && !l.startsWith('     '))).toBe(true);
  });

  it("takes the stream's columns, 80 when it has none", () => {
    expect(columnsOf({ isTTY: true, columns: 120 })).toBe(120);
    expect(columnsOf({ isTTY: false })).toBe(DEFAULT_COLUMNS);
    expect(columnsOf({ isTTY: true, columns: 0 })).toBe(DEFAULT_COLUMNS);
    expect(columnsOf({ isTTY: true, columns: 10 })).toBe(40);
  });
});

describe('text findings', () => {
  const report = {
    file: 'creatio-sso.yaml',
    findings: [{ ...finding('discovery/unreachable', 'cognito.userPoolId', LONG), line: 7, column: 3 }],
  };

  it('put a message that does not fit under its code, wrapped, the URL intact', () => {
    const text = formatFindingsText(report, plain, 80);
    const lines = text.trimEnd().split('\n');
    expect(lines[1]).toBe('  7:3     error    discovery/unreachable');
    expect(lines.slice(2).every((l) => l.startsWith('          '))).toBe(true);
    expect(lines).toContain(`          ${URL}`);
    expect(lines.filter((l) => !l.includes(URL)).every((l) => l.length <= 80)).toBe(true);
  });

  it('stay on one line when they fit, and are never wrapped without a width', () => {
    const short = { file: 'f', findings: [finding('region/mismatch', 'cognito.region', 'Short.')] };
    expect(formatFindingsText(short, plain, 80).split('\n')[1]).toMatch(/region\/mismatch {2}Short\.$/);
    expect(formatFindingsText(report, plain).split('\n')[1]).toContain(LONG);
  });
});

describe('a run', () => {
  it('wraps text at the terminal width and leaves JSON and GitHub annotations alone', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML.replace('domain: acme-login', 'domain: eu-west-1_AbCdEf123'));
      const text = await runCli(['validate'], { cwd: dir, columns: 60 });
      expect(text.code).toBe(1);
      expect(width(text.stdout)).toBeLessThanOrEqual(60);
      for (const format of ['json', 'github']) {
        const r = await runCli(['validate', '--format', format], { cwd: dir, columns: 60 });
        const messages = format === 'json' ? JSON.parse(r.stdout).files[0].findings.map((f: { message: string }) => f.message) : [r.stdout];
        expect(messages.join('').length).toBeGreaterThan(60);
        expect(messages.every((m: string) => m.trimEnd().split('\n').length === 1 || format === 'github')).toBe(true);
        if (format === 'github')
          expect(
            r.stdout
              .trimEnd()
              .split('\n')
              .every((l) => l.startsWith('::')),
          ).toBe(true);
      }
    } finally {
      cleanup();
    }
  });

  it('--verbose adds no stack trace to an expected failure', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = await runCli(['generate', '--verbose', '--config', 'nope.yaml'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Nothing was written: fix the findings above.');
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toContain('ConfigError');
    } finally {
      cleanup();
    }
  });
});

describe('wrapLine', () => {
  // The reference: wrap-ansi itself, which wrapLine hands everything but plain ASCII to.
  const reference = (line: string, width: number) => wrapAnsi(line, width, { hard: false, trim: true, wordWrap: true });
  // Spaces often, no-break spaces, and characters from each range wrapLine wraps itself.
  const narrow = [
    ' ',
    ' ',
    ' ',
    ' ',
    '\u00a0',
    'a',
    'Z',
    '.',
    '/',
    ':',
    '~',
    'é',
    'ß',
    'ł',
    'ʼ',
    '—',
    '–',
    '…',
    '“',
    '’',
    '→',
    '⇒',
    '✔',
    '✖',
    '⚠',
  ];
  const narrowLine = fc.string({ unit: fc.constantFrom(...narrow), maxLength: 160 });

  it('wraps one-column text exactly as wrap-ansi does (spaces, long words, leading and trailing blanks)', () => {
    fc.assert(
      fc.property(narrowLine, fc.integer({ min: 1, max: 90 }), (line, width) => {
        expect(wrapLine(line, width)).toBe(reference(line, width));
      }),
      { numRuns: 3000 },
    );
  });

  it('hands colours and wide characters to wrap-ansi', () => {
    const cases = [
      '\u001b[31merror\u001b[39m ' + 'word '.repeat(30),
      '漢字 '.repeat(40),
      'cafe\u0301 '.repeat(30),
      'soft\u00adhyphen '.repeat(20),
      '🔒 ' + LONG,
    ];
    for (const line of cases) expect(wrapLine(line, 40)).toBe(reference(line, 40));
  });
});

describe("doctor's check lines", () => {
  it('wrap at the width given, each continuation under the text after the mark, the URL whole', async () => {
    const { formatChecks } = await import('../../src/report/doctor.js');
    const checks = [{ name: 'discovery', status: 'fail' as const, summary: LONG }];
    const lines = formatChecks(checks as never, plain, 60)
      .trimEnd()
      .split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
    expect(lines.filter((l) => !l.includes(URL)).every((l) => l.length <= 60)).toBe(true);
    expect(lines.some((l) => l.trim() === URL)).toBe(true);
  });
});
