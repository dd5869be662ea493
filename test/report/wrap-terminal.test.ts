import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_YAML, TEST_SECRET, tempDir } from '../support/cli.js';
import { KEY, spawnInTerminal, type Terminal, answer } from '../support/pty.js';
import { exampleProvider, startFakeCreatio } from '../support/fake-creatio.js';
import { planRows } from '../../src/core/report/plan-view.js';
import { wrapLine } from '../../src/io/output.js';

/**
 * §13's last bullet and §10's wrapping rule, as a person at a 60- or 100-column terminal sees them:
 * every line the tool prints fits the terminal, broken at word boundaries by the one wrapping function,
 * so the terminal never breaks a word or a URL ("as Cogni" / "to", "https://acme" / ".creatio.com");
 * only a word longer than the line (a URL, a host, a command to copy) goes past it, whole.
 */
let dir: string;
let cleanup: () => void;
let term: Terminal | undefined;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => {
  term?.kill();
  term = undefined;
  cleanup();
});

/** Lines longer than the terminal that are more than one word after their indent: the terminal would break them anywhere. */
const overlong = (lines: readonly string[], cols: number) => lines.filter((l) => l.trimEnd().length > cols && /\S\s+\S/.test(l.trim()));

describe.each([60, 100])('at %i columns', (cols) => {
  it('init: the notes, the summary and the next steps fit, each URL whole on one line', async () => {
    const t = (term = spawnInTerminal(['init', '--offline'], { cwd: dir, cols, env: { CREATIO_SSO_TEST: '1' } }));
    await answer(t, [
      ['Creatio URL', 'https://acme.creatio.com/0/Shell/#SectionModuleV2/AccountSectionV2\r'],
      ['Where does this Creatio run?', KEY.enter],
      ['Cognito user pool ID', 'eu-west-1_AbCdEf123\r'],
      ['Hosted UI domain', 'acme-login\r'],
      ['App client ID', '1h57kf5cpq17m0eml12eqe3alr\r'],
      ['App client secret', `${TEST_SECRET}\r`],
      ['Name of the login button', KEY.enter],
      ['Create employees', 'y\r'],
      ['Create external users', KEY.enter],
      ['mobile app', KEY.enter],
      ['Write these files?', KEY.enter],
    ]);
    expect(await t.exited, t.screen).toBe(0);

    const lines = t.screen.split('\n');
    // The tool's own lines: its notes (ℹ ⚠ ✔ ✖), the summary, the files written and the next steps.
    const own = lines.filter((l) => /^(ℹ|⚠|✔|✖| {2}\S)/.test(l) && !l.includes('npx creatio-sso init --non-interactive'));
    // A summary row whose one value is longer than the line (a URL, a host) keeps it whole after its label.
    const oneValue = (l: string) => /^ {2}[A-Z][\w -]*? {2,}\S+$/.test(l);
    expect(
      overlong(own, cols).filter((l) => !oneValue(l)),
      t.screen,
    ).toEqual([]);
    const note = lines.findIndex((l) => l.startsWith('ℹ Removed fragment'));
    // A continuation starts with the tool's indent; the site root stays whole.
    expect(lines[note + 1]!.startsWith('  '), t.screen).toBe(true);
    expect(t.screen).toMatch(/(^| )https:\/\/acme\.creatio\.com\.?$/m);
    const step2 = lines.findIndex((l) => l.startsWith('  2. Commit'));
    expect(lines[step2 + 1]!, t.screen).toMatch(/^ {5}\S/);
  });

  it('plan: findings laid out as validate lays them out, and every line fits', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML.replace('domain: acme-login', 'domain: eu-west-1_AbCdEf123'));
    const env = { COGNITO_CLIENT_SECRET: TEST_SECRET };
    const plan = (term = spawnInTerminal(['plan'], { cwd: dir, cols, env }));
    expect(await plan.exited, plan.screen).toBe(1);
    const validate = (term = spawnInTerminal(['validate'], { cwd: dir, cols, env }));
    expect(await validate.exited, validate.screen).toBe(1);

    const planLines = plan.screen.split('\n');
    expect(overlong(planLines, cols), plan.screen).toEqual([]);
    // The same rows, from the code's line to the end of its message, in both commands.
    const rowsOf = (screen: string) => {
      const l = screen.split('\n');
      const from = l.findIndex((x) => x.includes('domain/is-user-pool-id'));
      const to = l.findIndex((x, i) => i > from && (x.trim() === '' || /^\s+\d+:\d+ /.test(x)));
      return l.slice(from, to);
    };
    expect(rowsOf(plan.screen).length).toBeGreaterThan(1);
    expect(rowsOf(plan.screen)).toEqual(rowsOf(validate.screen));
  });
});

describe.each([60, 100])('plan lines at %i columns', (cols) => {
  it('a change longer than the line: the field alone, then the old and the new value, each whole', async () => {
    const NAME = 'Sign in with the Acme corporate account';
    const f = await startFakeCreatio({ users: { Supervisor: 'Supervisor!1-x' }, providers: [exampleProvider()] });
    try {
      writeFileSync(
        path.join(dir, 'creatio-sso.yaml'),
        EXAMPLE_YAML.replace('url: https://acme.creatio.com', `url: ${f.url}`)
          .replace('deployment: cloud', 'deployment: on-site')
          .replace('displayName: Cognito AWS', `displayName: ${NAME}`),
      );
      const env = {
        COGNITO_CLIENT_SECRET: TEST_SECRET,
        CREATIO_SSO_CREATIO_URL: f.url,
        CREATIO_SSO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
        CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
        CREATIO_SSO_CREATIO_PASSWORD: 'Supervisor!1-x',
      };
      const t = (term = spawnInTerminal(['plan', '--skip', 'cognito'], { cwd: dir, cols, env }));
      await t.exited;
      // The spinner redraws its one row (carriage return): the raw screen strings its frames together.
      const lines = t.screen.split('\n').filter((l) => !/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(l));
      expect(overlong(lines, cols), t.screen).toEqual([]);
      // The manual step's text wraps as prose; the display name inside it is quoted and stays whole.
      expect(t.screen).toContain(`"${NAME}"`);
      const one = `  ~ Name  Cognito AWS → ${NAME}`;
      if (one.length <= cols)
        expect(
          lines.some((l) => l.trimEnd() === one),
          t.screen,
        ).toBe(true);
      else {
        const at = lines.findIndex((l) => l.trimEnd() === '  ~ Name');
        expect(at, t.screen).toBeGreaterThan(-1);
        expect(
          lines.slice(at + 1, at + 3).map((l) => l.trimEnd()),
          t.screen,
        ).toEqual(['      - Cognito AWS', `      + ${NAME}`]);
      }
    } finally {
      await f.close();
    }
  });
});

describe('planRows', () => {
  const wrap = wrapLine;
  it.each<[string, Parameters<typeof planRows>[1], string, number, string[]]>([
    ['fits', { action: 'add', field: 'A', to: 'x' }, '  + A  x', 40, ['  + A  x']],
    [
      'a list, one element a row',
      { action: 'add', field: 'CallbackURLs', to: ['https://a.example/cb', 'https://b.example/cb'] },
      '  + CallbackURLs  https://a.example/cb https://b.example/cb',
      40,
      ['  + CallbackURLs', '      https://a.example/cb', '      https://b.example/cb'],
    ],
    [
      'a value with spaces stays whole even when longer than a row',
      { action: 'change', field: 'Name', from: 'a b', to: 'one two three four five six seven' },
      '  ~ Name  a b → one two three four five six seven',
      30,
      ['  ~ Name', '      - a b', '      + one two three four five six seven'],
    ],
    [
      "a manual step is the tool's prose: wrapped under the field",
      { action: 'manual', field: 'JIT', how: 'Open System settings and switch on the two settings named here' },
      '  ! JIT  Open System settings and switch on the two settings named here',
      40,
      ['  ! JIT', '      Open System settings and switch on', '      the two settings named here'],
    ],
  ])('%s', (_n, item, line, columns, rows) => {
    expect(planRows(line, item, columns, wrap)).toEqual(rows);
  });
});
