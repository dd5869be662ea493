import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, type Finding, type FindingCode, type Severity } from '../../src/core/findings.js';
import { createReporter, formatGithub, formatJson, formatText, type FileReport } from '../../src/report/findings.js';
import { paintOf } from '../../src/io/output.js';

/** The §9 formatters on hand-made reports: what `validate` and `doctor` print. */
const plain = paintOf(new Chalk({ level: 0 }));
const f = (
  code: FindingCode,
  line: number,
  column: number,
  message: string,
  severity: Severity = FINDING_CODES[code].severity,
): Finding => ({ code, severity, message, path: 'x', line, column });

const reports: FileReport[] = [
  {
    file: 'envs/a.yaml',
    findings: [f('region/mismatch', 8, 11, 'The region differs.'), f('client-id/unusual', 10, 13, 'Check the client ID.')],
  },
  { file: 'envs/b.yaml', findings: [] },
  { file: 'envs/c.yaml', findings: [f('discovery/no-end-session', 1, 1, 'No end session endpoint.')] },
];

describe('text', () => {
  it('groups findings by file with line:column, skips clean files, and ends with the counts', () => {
    expect(formatText(reports, plain, false)).toBe(
      [
        'envs/a.yaml',
        '  8:11    error    region/mismatch  The region differs.',
        '  10:13   warning  client-id/unusual  Check the client ID.',
        '',
        'envs/c.yaml',
        '  1:1     warning  discovery/no-end-session  No end session endpoint.',
        '',
        '✖ 1 error, 2 warnings in 3 files',
        '',
      ].join('\n'),
    );
  });

  it('passes warnings, and says so when --strict fails them', () => {
    const warningsOnly = reports.slice(1);
    expect(formatText(warningsOnly, plain, false).endsWith('\n✔ 0 errors, 1 warning in 2 files\n')).toBe(true);
    expect(formatText(warningsOnly, plain, true).endsWith('\n✖ 0 errors, 1 warning in 2 files (--strict: warnings fail)\n')).toBe(true);
    expect(formatText([{ file: 'ok.yaml', findings: [] }], plain, true)).toBe('✔ 0 errors, 0 warnings in 1 file\n');
  });

  it('colours severities and the verdict only through the colour instance it is given', () => {
    const coloured = formatText(reports, paintOf(new Chalk({ level: 1 })), false);
    expect(coloured).toContain('\x1b[31merror  \x1b[39m');
    expect(coloured).toContain('\x1b[33mwarning\x1b[39m');
    expect(coloured).toContain('\x1b[31m✖ 1 error');
    expect(formatText(reports, plain, false)).not.toContain('\x1b');
  });

  it('prints a file name or message with control characters on one line, without escape sequences', () => {
    const text = formatText(
      [{ file: 'evil\n  1:1     error    fake.yaml', findings: [f('config/schema', 1, 1, 'Unknown key "\x1b[2Jx".')] }],
      plain,
      false,
    );
    expect(text.split('\n')[0]).toBe('evil\\u000a  1:1     error    fake.yaml');
    expect(text).toContain('Unknown key "\\u001b[2Jx".');
    expect(text).not.toContain('\x1b');
  });

  it('streams the same text as it formats, file by file', () => {
    const chunks: string[] = [];
    const reporter = createReporter('text', { color: plain, strict: false, write: (t) => chunks.push(t) });
    reporter.add(reports[0]!);
    // The first file is out before the next is known.
    expect(chunks.join('')).toContain('region/mismatch');
    reporter.add(reports[1]!);
    reporter.add(reports[2]!);
    expect(reporter.end()).toEqual({ ok: false, files: 3, errors: 1, warnings: 2 });
    expect(chunks.join('')).toBe(formatText(reports, plain, false));
  });
});

describe('json', () => {
  it('is one document: ok, summary, then every file with its own verdict and findings', () => {
    const doc = JSON.parse(formatJson(reports, false));
    expect(doc).toEqual({
      ok: false,
      summary: { files: 3, errors: 1, warnings: 2 },
      files: reports.map((r) => ({ file: r.file, ok: r.file !== 'envs/a.yaml', findings: r.findings })),
    });
    expect(JSON.parse(formatJson(reports.slice(1), true)).ok).toBe(false);
  });

  it('is printed once, at the end, by the streaming reporter', () => {
    const chunks: string[] = [];
    const reporter = createReporter('json', { color: plain, strict: false, write: (t) => chunks.push(t) });
    for (const r of reports) reporter.add(r);
    expect(chunks).toEqual([]);
    reporter.end();
    expect(chunks).toEqual([formatJson(reports, false)]);
  });
});

describe('github', () => {
  it('prints one workflow command per finding: error, warning, notice', () => {
    const withInfo: FileReport[] = [...reports, { file: 'd.yaml', findings: [f('region/unknown', 2, 3, 'Just so you know.', 'info')] }];
    expect(formatGithub(withInfo)).toBe(
      [
        '::error file=envs/a.yaml,line=8,col=11,title=region/mismatch::The region differs.',
        '::warning file=envs/a.yaml,line=10,col=13,title=client-id/unusual::Check the client ID.',
        '::warning file=envs/c.yaml,line=1,col=1,title=discovery/no-end-session::No end session endpoint.',
        '::notice file=d.yaml,line=2,col=3,title=region/unknown::Just so you know.',
        '',
      ].join('\n'),
    );
    expect(formatGithub([{ file: 'ok.yaml', findings: [] }])).toBe('');
  });

  it('escapes %, CR and LF in the message, and also , and : in properties', () => {
    const out = formatGithub([{ file: 'C:\\a,b%.yaml', findings: [f('config/parse', 3, 4, '100% wrong:\r\nline two, really')] }]);
    expect(out).toBe('::error file=C%3A\\a%2Cb%25.yaml,line=3,col=4,title=config/parse::100%25 wrong:%0D%0Aline two, really\n');
  });

  it('keeps any message and file name on one line, without a raw control character, that decodes back to them', () => {
    const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), (file, message) => {
        const out = formatGithub([{ file, findings: [f('config/schema', 1, 1, message)] }]);
        expect(out.endsWith('\n')).toBe(true);
        const line = out.slice(0, -1);
        expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        const m = /^::error file=([^,]*),line=1,col=1,title=config\/schema::(.*)$/s.exec(line);
        expect(m).not.toBeNull();
        // Control characters other than CR and LF are shown as \uXXXX (§10); CR and LF as GitHub's %0D/%0A.
        const shown = (s: string) =>
          s.replace(
            /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g,
            (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
          );
        expect(unescapeProperty(m![1]!)).toBe(shown(file));
        expect(unescapeData(m![2]!)).toBe(shown(message));
      }),
      { numRuns: 500 },
    );
  });
});
