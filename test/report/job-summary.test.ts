/**
 * §17's job summary: appended to GITHUB_STEP_SUMMARY (from the command's environment) by validate, doctor
 * and plan, and inert however hostile the values it quotes. The summary is parsed with a real Markdown
 * parser (marked, GFM on: tables and autolinks, as GitHub renders them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Token, Tokens } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { JobSummary, mdText, SUMMARY_MAX_BYTES } from '../../src/core/report/job-summary.js';
import { EXAMPLE_YAML, runCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { exampleProvider, startFakeCreatio } from '../support/fake-creatio.js';
import { tokensOf } from '../support/markdown.js';

const HOSTILE = '[x](https://evil.example) ![i](https://evil.example/i.png) <img src=x onerror=alert(1)> | a | b';
const MORE = 'www.evil.example mail@evil.example `code` **b** _i_ \\ & &amp; <b>x</b>\nline two\r\n# heading';

/** No link, image or HTML anywhere; every table row has as many cells as its header. */
function expectInert(markdown: string): Tokens.Table[] {
  const tokens = tokensOf(markdown);
  expect(tokens.filter((t) => ['link', 'image', 'html', 'tag'].includes(t.type)).map((t) => t.raw)).toEqual([]);
  const tables = tokens.filter((t): t is Tokens.Table => t.type === 'table');
  for (const table of tables) {
    for (const r of table.rows) expect(r.length).toBe(table.header.length);
    // marked fills missing cells with empty ones and drops extra ones: compare with the row's own source too.
    const lines = table.raw.trim().split('\n');
    for (const line of lines) expect(line.split(/(?<!\\)\|/).length - 2).toBe(table.header.length);
  }
  return tables;
}

/** The rendered text of every cell of a table's column. */
const column = (table: Tokens.Table, name: string): string[] => {
  const i = table.header.findIndex((h) => h.text === name);
  return table.rows.map((r) => textOf(r[i]!.tokens));
};
const textOf = (tokens: readonly Token[]): string =>
  tokens.map((t) => ('tokens' in t && t.tokens ? textOf(t.tokens) : 'text' in t ? decode(String(t.text)) : '')).join('');
const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('mdText and JobSummary (pure)', () => {
  it('makes every hostile value plain text in a table cell, shown as it was', () => {
    const md = new JobSummary()
      .own('## t')
      .table(
        ['A', 'B'],
        [
          [HOSTILE, MORE],
          [{ json: HOSTILE }, 3],
        ],
      )
      .text();
    const [table] = expectInert(md);
    expect(table!.rows).toHaveLength(2);
    expect(column(table!, 'A')[0]).toBe(HOSTILE);
    // Line breaks are shown as escapes, never as a new line of Markdown.
    expect(column(table!, 'B')[0]).toBe(MORE.replace(/\n/g, '\\u000a').replace(/\r/g, '\\u000d'));
    expect(mdText('a\nb')).not.toContain('\n');
  });

  it('masks through the redactor it is given', () => {
    const md = new JobSummary((t) => t.replaceAll('s3cret', '********')).table(['A'], [['the s3cret']]).text();
    expect(md).not.toContain('s3cret');
  });

  it('stops at 1 MiB and says how much more there was', () => {
    const s = new JobSummary();
    const rows = Array.from({ length: 20_000 }, (_, i) => [`row ${i} ${'x'.repeat(100)}`]);
    const md = s.table(['A'], rows).text();
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    const more = /and (\d+) more lines/.exec(md);
    expect(Number(more?.[1])).toBeGreaterThan(0);
    const [table] = expectInert(md);
    expect(table!.rows.length + Number(more![1])).toBe(20_000 + 1); // the rows left out, and the table's end
  });
});

describe('the job summary of each command', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  /** A config whose domain and display name are hostile (the domain is quoted by a finding). */
  function hostileConfig(): { dir: string; file: string; summary: string } {
    const t = tempDir('job-summary-');
    cleanup = t.cleanup;
    const yaml = EXAMPLE_YAML.replace('domain: acme-login ', `domain: ${JSON.stringify(HOSTILE)} `).replace(
      'displayName: Cognito AWS',
      `displayName: ${JSON.stringify(HOSTILE)}`,
    );
    const file = path.join(t.dir, 'sso.yaml');
    writeFileSync(file, yaml);
    const summary = path.join(t.dir, 'summary.md');
    writeFileSync(summary, 'An earlier step wrote this.\n');
    return { dir: t.dir, file, summary };
  }

  const env = (summary: string) => ({
    GITHUB_STEP_SUMMARY: summary,
    COGNITO_CLIENT_SECRET: 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2',
  });

  for (const [command, args] of [
    ['validate', ['validate', '--format', 'github', 'sso.yaml']],
    ['doctor', ['doctor', '--config', 'sso.yaml']],
    ['plan', ['plan', '--config', 'sso.yaml']],
  ] as const) {
    it(`${command}: appends a summary in which the hostile value is text, the tables whole`, async () => {
      const { dir, summary } = hostileConfig();
      const r = await runCli([...args], { cwd: dir, env: env(summary) });
      expect(r.code).toBe(1);
      const md = readFileSync(summary, 'utf8');
      expect(md.startsWith('An earlier step wrote this.\n')).toBe(true);
      expect(md).toContain(`## creatio-sso ${command}`);
      const tables = expectInert(md);
      expect(column(tables[0]!, 'File')).toEqual(['sso.yaml']);
      expect(column(tables[0]!, 'Result')).toEqual(['❌ failed']);
      const findings = tables.find((t) => t.header.some((h) => h.text === 'Code'))!;
      expect(column(findings, 'Code')).toContain('domain/invalid');
      const message = column(findings, 'Message').find((m) => m.startsWith('The domain'))!;
      expect(message).toContain('"[x](https://evil.example) ![i]');
      expect(message).toContain('alert(1)> | a | b"');
      expect(column(findings, 'Line')).toContain('9');
      if (command === 'doctor') expect(tables.some((t) => t.header.map((h) => h.text).join() === 'Check,Status,Summary')).toBe(true);
      if (command === 'plan') expect(tables.some((t) => t.header.map((h) => h.text).join() === 'Side,Resource,Action')).toBe(true);
    });
  }

  it('a summary that cannot be written is a warning, not another failure; no variable, no file', async () => {
    const { dir, summary } = hostileConfig();
    const r = await runCli(['validate', 'sso.yaml'], { cwd: dir, env: env(path.join(dir, 'missing', 'summary.md')) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Warning: the job summary could not be written to .*missing/);
    writeFileSync(path.join(dir, 'ok.yaml'), EXAMPLE_YAML);
    const ok = await runCli(['validate', 'ok.yaml'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: path.join(dir, 'nope', 'x.md') } });
    expect(ok.code).toBe(0);
    const none = await runCli(['validate', 'ok.yaml'], { cwd: dir, env: {} });
    expect(none.code).toBe(0);
    expect(readFileSync(summary, 'utf8')).toBe('An earlier step wrote this.\n');
  });

  it('plan: a hostile answer from Creatio (the provider’s name and URL) is text in the changes table', async () => {
    const t = tempDir('job-summary-');
    const creatio = await startFakeCreatio({
      users: { Supervisor: 'Supervisor!1-not-a-real-one' },
      providers: [exampleProvider({ Name: HOSTILE, Url: `https://evil.example/${HOSTILE}` })],
    });
    cleanup = () => {
      void creatio.close();
      t.cleanup();
    };
    const yaml = EXAMPLE_YAML.replace('url: https://acme.creatio.com', `url: ${creatio.url}`).replace(
      'deployment: cloud',
      'deployment: on-site',
    );
    writeFileSync(path.join(t.dir, 'creatio-sso.yaml'), yaml);
    const summary = path.join(t.dir, 'summary.md');
    const r = await runCli(['plan', '--skip', 'cognito', '--exit-code'], {
      cwd: t.dir,
      env: {
        GITHUB_STEP_SUMMARY: summary,
        COGNITO_CLIENT_SECRET: TEST_SECRET,
        CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
        CREATIO_SSO_CREATIO_PASSWORD: 'Supervisor!1-not-a-real-one',
        CREATIO_SSO_CREATIO_URL: creatio.url,
        CREATIO_SSO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
      },
    });
    expect(r.code).toBe(4);
    const md = readFileSync(summary, 'utf8');
    expect(md).not.toContain('Supervisor!1-not-a-real-one');
    expect(md).not.toContain(TEST_SECRET);
    const tables = expectInert(md);
    expect(column(tables[0]!, 'Result')).toEqual(['🟡 changes pending']);
    const changes = tables.find((t) => t.header.some((h) => h.text === 'From'))!;
    const from = column(changes, 'From');
    expect(from.some((v) => v.includes(HOSTILE))).toBe(true);
    expect(from.some((v) => v.includes(`https://evil.example/${HOSTILE}`))).toBe(true);
  });
});
