import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_SECRET, tempDir } from '../support/cli.js';
import { startFakeCognito, type FakeCognito } from '../support/fake-cognito.js';
import { KEY, spawnInTerminal, type Terminal, answer } from '../support/pty.js';

/**
 * The wizard as a person meets it: the built CLI in a real pseudo-terminal (stdin and stdout are
 * TTYs, CI unset), answers typed key by key after each question appears, the screen and the files
 * written checked afterwards.
 */
let dir: string;
let cleanup: () => void;
let term: Terminal | undefined;
let fake: FakeCognito | undefined;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  term?.kill();
  term = undefined;
  await fake?.close();
  fake = undefined;
  cleanup();
});

const files = () => readdirSync(dir, { recursive: true }).map(String).sort();
const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
const start = (args: string[], env: Record<string, string> = {}) =>
  (term = spawnInTerminal(['init', ...args], { cwd: dir, env: { CREATIO_SSO_TEST: '1', ...env } }));

describe('init in a terminal', () => {
  it('walks through the questions, re-asks a wrong answer, normalizes a pasted page URL, and writes the files', async () => {
    const t = start(['--offline']);
    await t.waitFor('Creatio URL');
    t.type('https://acme.creatio.com/0/Shell/#SectionModuleV2/AccountSectionV2\r');
    // Wrapped to the terminal's 120 columns: the URL whole, after a break between words.
    await t.waitFor(/the site root is\s+https:\/\/acme\.creatio\.com/);
    await t.waitFor('Where does this Creatio run?');
    t.type(KEY.enter);
    await t.waitFor('Cognito user pool ID');
    t.type('eu-west-1_AbCdEf123\r');
    await t.waitFor('Hosted UI domain');
    // The wrong answer Creatio's own documentation suggests: the pool ID as the domain.
    t.type('eu-west-1_AbCdEf123\r');
    await answer(t, [
      ['is the user pool ID', `${KEY.ctrlU}acme-login\r`],
      ['App client ID', '1h57kf5cpq17m0eml12eqe3alr\r'],
      ['App client secret', `${TEST_SECRET}\r`],
      ['Name of the login button', KEY.enter],
      ['Create employees', 'y\r'],
      ['Create external users', KEY.enter],
      ['mobile app', KEY.enter],
    ]);
    await t.waitFor('Summary');
    await t.waitFor('Write these files?');
    t.type(KEY.enter);
    expect(await t.exited, t.screen).toBe(0);

    const screen = t.screen;
    expect(screen).toMatch(
      /Removed fragment "#SectionModuleV2\/AccountSectionV2", page path "\/0\/Shell": the site root is\s+https:\/\/acme\.creatio\.com/,
    );
    expect(screen).toContain('> The domain "eu-west-1_AbCdEf123" is the user pool ID');
    expect(screen).toContain('*'.repeat(TEST_SECRET.length));
    expect(screen).not.toContain(TEST_SECRET);
    expect(screen).toContain('wrote creatio-sso.yaml');
    expect(screen).toContain('Next steps');
    expect(screen).toContain(
      'COGNITO_CLIENT_SECRET=… npx creatio-sso init --non-interactive --creatio-url https://acme.creatio.com --deployment cloud --user-pool-id eu-west-1_AbCdEf123 --domain acme-login --client-id 1h57kf5cpq17m0eml12eqe3alr --jit-employees --offline --client-secret-env COGNITO_CLIENT_SECRET',
    );

    expect(files()).toEqual([
      'creatio-sso',
      'creatio-sso.yaml',
      'creatio-sso/SETUP.md',
      'creatio-sso/cognito-app-client.json',
      'creatio-sso/creatio-sso-record.json',
    ]);
    const yaml = read('creatio-sso.yaml');
    expect(yaml).toMatch(/^ {2}url: https:\/\/acme\.creatio\.com$/m);
    expect(yaml).toMatch(/^ {2}domain: acme-login$/m);
    expect(yaml).toContain('clientSecret: ${env:COGNITO_CLIENT_SECRET}');
    expect(yaml).not.toContain(TEST_SECRET);
    const record = JSON.parse(read('creatio-sso/creatio-sso-record.json'));
    expect(record.SsoOpenIdProvider.ClientSecret).toBe(TEST_SECRET);
    expect(record.SsoServiceProvider).toEqual({ UseJit: true, SspUseJit: false });
    expect(statSync(path.join(dir, 'creatio-sso/creatio-sso-record.json')).mode & 0o777).toBe(0o600);
  });

  it('looks the pool up with a spinner and proposes its real domain', async () => {
    fake = await startFakeCognito({ pools: [{ userPoolId: 'eu-west-1_AbCdEf123', prefix: 'acme-login' }] });
    const t = start([], { CREATIO_SSO_COGNITO_IDP_URL: fake.url });
    await t.waitFor('Creatio URL');
    t.type('https://crm.acme.com\r');
    await t.waitFor('Where does this Creatio run?');
    t.type(KEY.enter);
    await t.waitFor('Cognito user pool ID');
    // Pasted as the issuer URL.
    t.type('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123\r');
    await t.waitFor('Looking up the user pool eu-west-1_AbCdEf123 in Cognito');
    await t.waitFor('Found the user pool eu-west-1_AbCdEf123: its hosted UI domain is acme-login.auth.eu-west-1.amazoncognito.com');
    await t.waitFor('Hosted UI domain');
    await answer(t, [
      ['(acme-login)', KEY.enter],
      ['App client ID', '1h57kf5cpq17m0eml12eqe3alr\r'],
      ['App client secret', `${TEST_SECRET}\r`],
    ]);
    for (const q of ['Name of the login button', 'Create employees', 'Create external users', 'mobile app', 'Write these files?']) {
      await t.waitFor(q);
      t.type(KEY.enter);
    }
    expect(await t.exited, t.screen).toBe(0);
    expect(t.screen).toContain(
      'Took the user pool ID eu-west-1_AbCdEf123 from https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
    );
    expect(t.screen).toContain('(checked live: the pool uses it)');
    expect(fake.discoveryCount()).toBe(1);
    // The on-site default came from the URL; no --offline in the equivalent command.
    expect(read('creatio-sso.yaml')).toMatch(/^ {2}deployment: on-site$/m);
    expect(t.screen).toMatch(
      /npx creatio-sso init --non-interactive --creatio-url https:\/\/crm\.acme\.com --deployment on-site .* --client-secret-env COGNITO_CLIENT_SECRET/,
    );
    expect(t.screen).not.toMatch(/init --non-interactive .*--offline/);
  });

  it('Ctrl-C in the middle of the wizard exits 130 and writes nothing', async () => {
    const t = start(['--offline']);
    await answer(t, [
      ['Creatio URL', 'https://acme.creatio.com\r'],
      ['Where does this Creatio run?', KEY.enter],
      ['Cognito user pool ID', 'eu-west-1_Ab'],
    ]);
    t.type(KEY.ctrlC);
    expect(await t.exited).toBe(130);
    expect(t.screen).toContain('Cancelled: nothing was written.');
    expect(files()).toEqual([]);
  });

  it('Ctrl-C while the live lookup runs (no prompt active) exits 130 and writes nothing', async () => {
    fake = await startFakeCognito({
      pools: [{ userPoolId: 'eu-west-1_AbCdEf123' }],
      misbehave: { 'eu-west-1_AbCdEf123': { discovery: 'hang' } },
    });
    const t = start([], { CREATIO_SSO_COGNITO_IDP_URL: fake.url });
    await answer(t, [
      ['Creatio URL', 'https://acme.creatio.com\r'],
      ['Where does this Creatio run?', KEY.enter],
      ['Cognito user pool ID', 'eu-west-1_AbCdEf123\r'],
      ['Looking up the user pool', KEY.ctrlC],
    ]);
    expect(await t.exited).toBe(130);
    expect(t.screen, t.screen).toContain('Cancelled: nothing was written.');
    expect(files()).toEqual([]);
  });

  it('Esc at a prompt asks "Cancel set-up?": no goes back to the question, yes cancels the same way', async () => {
    const t = start(['--offline']);
    await answer(t, [
      ['Creatio URL', 'https://acme.creatio.com\r'],
      ['Where does this Creatio run?', KEY.enter],
      ['Cognito user pool ID', KEY.esc],
      ['Cancel set-up?', 'n\r'],
    ]);
    // The same question again; the answers so far are kept.
    await t.waitFor('Cognito user pool ID');
    t.type(KEY.esc);
    await t.waitFor('Cancel set-up?');
    t.type('y\r');
    expect(await t.exited).toBe(130);
    expect(t.screen).toContain('Cancelled: nothing was written.');
    expect(files()).toEqual([]);
  });

  it('at the summary, Change an answer goes back to the question with its answer prefilled; Cancel prints the command', async () => {
    const t = start(['--offline']);
    const answers: [string, string][] = [
      ['Creatio URL', 'https://acme.creatio.com\r'],
      ['Where does this Creatio run?', KEY.enter],
      ['Cognito user pool ID', 'eu-west-1_AbCdEf123\r'],
      ['Hosted UI domain', 'acme-login\r'],
      ['App client ID', '1h57kf5cpq17m0eml12eqe3alr\r'],
      ['App client secret', `${TEST_SECRET}\r`],
      ['Name of the login button', KEY.enter],
      ['Create employees', KEY.enter],
      ['Create external users', KEY.enter],
      ['mobile app', KEY.enter],
    ];
    for (const [q, a] of answers) {
      await t.waitFor(q);
      t.type(a);
    }
    await t.waitFor('Write these files?');
    t.type(KEY.down + KEY.enter);
    await t.waitFor('Which answer?');
    for (let i = 0; i < 6; i++) t.type(KEY.down); // Login button name
    t.type(KEY.enter);
    await t.waitFor('Name of the login button in Creatio: (Cognito AWS)');
    t.type(KEY.ctrlU + 'ACME sign-in\r');
    await t.waitFor(/Login button\s+ACME sign-in/);
    await t.waitFor('Write these files?');
    t.type(KEY.down + KEY.down + KEY.enter);
    expect(await t.exited, t.screen).toBe(130);
    expect(t.screen).toContain('The same set-up without questions:');
    // Said once, as the last line: the cancel's own message.
    expect(t.screen.match(/nothing was written/gi)).toHaveLength(1);
    expect(t.screen).toMatch(/npx creatio-sso init --non-interactive .*--display-name 'ACME sign-in'/);
    expect(t.screen).not.toContain(TEST_SECRET);
    expect(files()).toEqual([]);
  });

  it('does not prompt when CI is set, even at a terminal', async () => {
    const t = start(['--offline'], { CI: 'true' });
    expect(await t.exited).toBe(2);
    expect(t.screen).toContain('init cannot ask questions here (CI is set)');
    expect(t.screen).not.toContain('? Creatio URL');
  });
});
