import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, TEST_SECRET, tempDir, type CliResult } from '../support/cli.js';
import { closedPort } from '../support/net.js';
import { fakeCognitoPool, type FakeCognito, type FakeCognitoOptions } from '../support/fake-cognito.js';

/**
 * `init` without a terminal, end to end: the built CLI, inputs from flags, environment variables and
 * stdin, files checked on disk. Live lookups go to a fake cognito-idp on 127.0.0.1 only
 * (CREATIO_SSO_TEST=1 makes the CLI refuse anything else).
 */
const POOL = 'eu-west-1_AbCdEf123';
const CLIENT_ID = '1h57kf5cpq17m0eml12eqe3alr';
const FLAGS = ['--creatio-url', 'https://acme.creatio.com', '--user-pool-id', POOL, '--domain', 'acme-login', '--client-id', CLIENT_ID];
const FILES = [
  'creatio-sso',
  'creatio-sso.yaml',
  'creatio-sso/SETUP.md',
  'creatio-sso/cognito-app-client.json',
  'creatio-sso/creatio-sso-record.json',
];

let dir: string;
let cleanup: () => void;
const closers: Array<() => Promise<void>> = [];
// Fake Cognito servers start once for the file; each test sets the answers it needs.
const cognitos = fakeCognitoPool();
afterAll(() => cognitos.close());
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  while (closers.length) await closers.pop()!();
  cognitos.release();
  cleanup();
});

const init = (args: string[], env: Record<string, string> = {}, input?: string) =>
  runCli(['init', ...args], { cwd: dir, env: { CREATIO_SSO_TEST: '1', ...env }, input });
const files = () => readdirSync(dir, { recursive: true }).map(String).sort();
const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
const record = () => JSON.parse(read('creatio-sso/creatio-sso-record.json'));
const neverShows = (r: CliResult, secret = TEST_SECRET) => {
  expect(r.stdout).not.toContain(secret);
  expect(r.stderr).not.toContain(secret);
  expect(read('creatio-sso.yaml')).not.toContain(secret);
};

function fake(options: FakeCognitoOptions): Promise<FakeCognito> {
  return cognitos.take(options);
}

describe('init without a terminal', () => {
  it('takes every input from flags, the secret from --client-secret-env, and writes the config and the artifacts', async () => {
    const r = await init(
      [
        '--offline',
        ...FLAGS,
        '--deployment',
        'on-site',
        '--display-name',
        'ACME login',
        '--jit-employees',
        '--mobile-sso',
        '--client-secret-env',
        'ACME_SECRET',
      ],
      { ACME_SECRET: TEST_SECRET },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(files()).toEqual(FILES);
    const yaml = read('creatio-sso.yaml');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=https://unpkg.com/creatio-sso/schema/creatio-sso.schema.json');
    expect(yaml).toMatch(/^ {2}clientSecret: \$\{env:ACME_SECRET\}/m);
    expect(yaml).toMatch(/^ {2}deployment: on-site$/m);
    expect(yaml).toMatch(/^ {2}employees: true$/m);
    expect(yaml).toMatch(/^ {2}useSso: true$/m);
    expect(record().SsoOpenIdProvider).toMatchObject({
      Name: 'ACME login',
      ClientID: CLIENT_ID,
      ClientSecret: TEST_SECRET,
      Url: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
    });
    expect(statSync(path.join(dir, 'creatio-sso/creatio-sso-record.json')).mode & 0o777).toBe(0o600);
    expect(r.stdout).toMatch(/wrote creatio-sso\.yaml {2}\(0644, \d+ bytes\)/);
    expect(r.stderr).toContain('Next steps');
    // Non-interactive already: no "equivalent command".
    expect(r.stderr).not.toContain('--non-interactive');
    neverShows(r);

    // generate reads the file as written and renders the same artifacts.
    const g = await runCli(['generate', '--offline', '--config', 'creatio-sso.yaml', '--out-dir', 'again'], {
      cwd: dir,
      env: { CREATIO_SSO_TEST: '1', ACME_SECRET: TEST_SECRET },
    });
    expect(g.code, g.stderr).toBe(0);
    for (const f of ['creatio-sso-record.json', 'cognito-app-client.json']) expect(read(`again/${f}`), f).toBe(read(`creatio-sso/${f}`));
    // SETUP.md names its own folder (its commands run from the config's folder): the same apart from that.
    expect(read('again/SETUP.md')).toBe(read('creatio-sso/SETUP.md').replaceAll('creatio-sso/', 'again/'));
  });

  it('takes every input from environment variables, the secret from CREATIO_SSO_CLIENT_SECRET, and refers to that variable', async () => {
    const r = await init(['--offline'], {
      CREATIO_SSO_CREATIO_URL: 'https://acme.creatio.com',
      CREATIO_SSO_DEPLOYMENT: 'cloud',
      CREATIO_SSO_USER_POOL_ID: POOL,
      CREATIO_SSO_REGION: 'eu-west-1',
      CREATIO_SSO_DOMAIN: 'auth.acme.com',
      CREATIO_SSO_CLIENT_ID: CLIENT_ID,
      CREATIO_SSO_DISPLAY_NAME: 'Staff login',
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(r.code, r.stderr).toBe(0);
    const yaml = read('creatio-sso.yaml');
    expect(yaml).toContain('clientSecret: ${env:CREATIO_SSO_CLIENT_SECRET}');
    expect(yaml).toMatch(/^ {2}region: eu-west-1$/m);
    expect(yaml).toMatch(/^ {2}domain: auth\.acme\.com$/m);
    expect(yaml).toMatch(/^ {2}displayName: Staff login$/m);
    expect(record().SsoOpenIdProvider.ClientSecret).toBe(TEST_SECRET);
    neverShows(r);
  });

  it('prefers a flag to its environment variable', async () => {
    const r = await init(['--offline', ...FLAGS], {
      CREATIO_SSO_DOMAIN: 'other-login',
      CREATIO_SSO_CLIENT_ID: 'zzzzzzzzzzzzzzzzzzzzzzzzzz',
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(read('creatio-sso.yaml')).toMatch(/^ {2}domain: acme-login$/m);
    expect(read('creatio-sso.yaml')).toContain(`clientId: ${CLIENT_ID}`);
  });

  it('reads the secret from stdin and refers to COGNITO_CLIENT_SECRET', async () => {
    const r = await init(['--offline', ...FLAGS, '--client-secret-stdin'], {}, `${TEST_SECRET}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(read('creatio-sso.yaml')).toContain('clientSecret: ${env:COGNITO_CLIENT_SECRET}');
    expect(record().SsoOpenIdProvider.ClientSecret).toBe(TEST_SECRET);
    neverShows(r);
  });

  it('lists every missing input at once, each with its variable, and exits 2 writing nothing', async () => {
    const r = await init(['--offline', '--user-pool-id', POOL]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('init cannot ask questions here (stdin or stdout is not a terminal)');
    for (const m of [
      '--creatio-url (or CREATIO_SSO_CREATIO_URL)',
      '--domain (or CREATIO_SSO_DOMAIN)',
      '--client-id (or CREATIO_SSO_CLIENT_ID)',
      '--client-secret-env <NAME>, --client-secret-stdin (or CREATIO_SSO_CLIENT_SECRET)',
    ]) {
      expect(r.stderr).toContain(m);
    }
    expect(r.stderr).not.toContain('--user-pool-id (or');
    expect(r.stdout).toBe('');
    expect(files()).toEqual([]);
  });

  it('asks for --region when the pool ID does not start with one', async () => {
    const r = await init(['--offline', ...FLAGS.map((a) => (a === POOL ? 'acmepool_AbCdEf123' : a))], {
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--region (or CREATIO_SSO_REGION): the user pool ID does not start with its region');
  });

  it('prints the findings of invalid values, naming their flags, exits 1 and writes nothing', async () => {
    const r = await init(
      [
        '--offline',
        '--creatio-url',
        'http://acme.creatio.com',
        '--user-pool-id',
        POOL,
        '--domain',
        POOL,
        '--client-id',
        CLIENT_ID,
        '--client-secret-env',
        'ACME_SECRET',
      ],
      { ACME_SECRET: 'not-a-secret-but-long-enough-to-mask' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/creatio-url\/insecure .*\(from --creatio-url\)/);
    // Answers have no place in a file: no heading naming a pseudo-file, no empty line:column.
    expect(r.stderr).toMatch(/^ {2}error {4}creatio-url\/insecure /);
    expect(r.stderr).not.toContain('creatio-sso init\n');
    expect(r.stderr).toMatch(/domain\/is-user-pool-id .*\(from --domain\)/);
    expect(r.stderr).toMatch(/client-secret\/invalid .*\(from the environment variable ACME_SECRET named by --client-secret-env\)/);
    expect(r.stderr).toContain('Nothing was written');
    expect(r.stderr).not.toContain('not-a-secret-but-long-enough-to-mask');
    expect(files()).toEqual([]);
  });

  it('fails when the variable named by --client-secret-env is not set', async () => {
    const r = await init(['--offline', ...FLAGS, '--client-secret-env', 'UNSET_SECRET']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/client-secret\/unresolved .*UNSET_SECRET/);
    expect(files()).toEqual([]);
  });

  it('with --json prints exactly one JSON document: the files written and the findings', async () => {
    const r = await init(
      ['--offline', '--json', ...FLAGS.map((a) => (a === 'https://acme.creatio.com' ? 'https://acme.creatio.com/0/Shell/' : a))],
      { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files).toEqual([
      { path: 'creatio-sso.yaml', mode: '0644', bytes: expect.any(Number) },
      { path: path.join('creatio-sso', 'creatio-sso-record.json'), mode: '0600', bytes: expect.any(Number) },
      { path: path.join('creatio-sso', 'cognito-app-client.json'), mode: '0644', bytes: expect.any(Number) },
      { path: path.join('creatio-sso', 'SETUP.md'), mode: '0644', bytes: expect.any(Number) },
    ]);
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['creatio-url/normalized']);
    expect(read('creatio-sso.yaml')).toMatch(/^ {2}url: https:\/\/acme\.creatio\.com$/m);

    const failed = await init(['--offline', '--json', ...FLAGS.map((a) => (a === 'acme-login' ? 'my-aws-login' : a))], {
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toEqual({
      files: [],
      findings: [expect.objectContaining({ code: 'domain/reserved-word', path: 'cognito.domain' })],
    });
  });

  it('with --dry-run prints the files with the secret masked and writes nothing', async () => {
    const r = await init(['--offline', '--dry-run', ...FLAGS], { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('--- creatio-sso.yaml (mode 0644, would be written)');
    expect(r.stdout).toContain('"ClientSecret": "********"');
    expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    expect(r.stderr).toContain('Dry run: nothing was written.');
    expect(files()).toEqual([]);
  });

  it('in a git work tree, adds the artifacts folder (it holds the secret) to .gitignore and says so; once', async () => {
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/');
    const r = await init(['--offline', ...FLAGS], { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(read('.gitignore')).toBe(
      'node_modules/\n# creatio-sso: the record file in this folder holds the app client secret\n/creatio-sso/\n',
    );
    expect(r.stderr).toContain('Added /creatio-sso/ to .gitignore: that folder holds the client secret');
    // Again (--force): the line is there already, nothing added, nothing said.
    const again = await init(['--offline', '--force', ...FLAGS], { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(again.code, again.stderr).toBe(0);
    expect(read('.gitignore').match(/\/creatio-sso\//g)).toHaveLength(1);
    expect(again.stderr).not.toContain('.gitignore');
  });

  it('a subfolder of a git work tree: the root .gitignore gets the anchored path; outside one, the line to add is printed', async () => {
    mkdirSync(path.join(dir, '.git'));
    mkdirSync(path.join(dir, 'sso'));
    const r = await runCli(['init', '--offline', '--json', ...FLAGS], {
      cwd: path.join(dir, 'sso'),
      env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_CLIENT_SECRET: TEST_SECRET },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(read('.gitignore')).toContain('/sso/creatio-sso/\n');
    expect(r.stderr).toContain('Added /sso/creatio-sso/ to ../.gitignore');
    JSON.parse(r.stdout);

    rmSync(path.join(dir, '.git'), { recursive: true });
    const plain = await init(['--offline', '--out-dir', 'secrets', ...FLAGS], { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain('add this line to your .gitignore (this folder is not a git work tree): secrets/');
    expect(existsSync(path.join(dir, '.gitignore'))).toBe(true); // the first run's, untouched
    expect(read('.gitignore')).not.toContain('secrets');
  });

  it('checks every target before writing: an existing config file stops it all, --force replaces', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'mine\n');
    const r = await init(['--offline', ...FLAGS], { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('creatio-sso.yaml already exists. Nothing was written. Use --force');
    expect(read('creatio-sso.yaml')).toBe('mine\n');
    expect(existsSync(path.join(dir, 'creatio-sso'))).toBe(false);

    // --non-interactive --json: stdout is always the JSON document, the refusal among its findings.
    const json = await init(['--offline', '--non-interactive', '--json', ...FLAGS], { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { files: unknown[]; findings: { code: string; message: string }[] };
    expect(doc.files).toEqual([]);
    expect(doc.findings.find((f) => f.code === 'output/exists')?.message).toContain('creatio-sso.yaml already exists');
    expect(read('creatio-sso.yaml')).toBe('mine\n');

    const forced = await init(['--offline', '--force', ...FLAGS], { CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(forced.code, forced.stderr).toBe(0);
    expect(read('creatio-sso.yaml')).toContain(`userPoolId: ${POOL}`);
  });

  it('writes where --config and --out-dir say, JSON when the config name ends in .json', async () => {
    const r = await init(['--offline', ...FLAGS, '--config', 'envs/prod.json', '--out-dir', 'out/prod'], {
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(read('envs/prod.json'));
    expect(json.$schema).toBe('https://unpkg.com/creatio-sso/schema/creatio-sso.schema.json');
    expect(json.cognito.clientSecret).toBe('${env:CREATIO_SSO_CLIENT_SECRET}');
    expect(existsSync(path.join(dir, 'out/prod/creatio-sso-record.json'))).toBe(true);
    // SETUP.md's commands run in the config's folder.
    expect(read('out/prod/SETUP.md')).toContain('npx creatio-sso doctor --config prod.json');
    expect(read('out/prod/SETUP.md')).toContain('file://../out/prod/cognito-app-client.json');
  });

  it('is non-interactive under CI even when told nothing', async () => {
    const r = await init(['--offline'], { CI: 'true' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing');
  });
});

describe('init without a terminal: the live lookup', () => {
  it('passes when the pool uses the configured domain', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }] });
    const r = await init(FLAGS, { CREATIO_SSO_COGNITO_IDP_URL: f.url, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(f.discoveryCount()).toBe(1);
    expect(files()).toEqual(FILES);
  });

  it('fails with the real domain named when the configured one differs (exit 1, nothing written)', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-real' }] });
    const r = await init(FLAGS, { CREATIO_SSO_COGNITO_IDP_URL: f.url, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /discovery\/domain-mismatch .*acme-real\.auth\.eu-west-1\.amazoncognito\.com.*use acme-real.*\(from --domain\)/,
    );
    expect(files()).toEqual([]);
  });

  it('warns when the pool has no domain yet, naming the fix, and writes the files (set-up time, §13)', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, shape: 'no-domain' }] });
    const r = await init(FLAGS, { CREATIO_SSO_COGNITO_IDP_URL: f.url, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('discovery/no-hosted-ui-domain');
    expect(r.stderr).toContain('npx creatio-sso apply');
    expect(r.stderr).toContain('Branding → Domain');
    expect(files()).toEqual(FILES);
    // --strict is not an init flag: the warning is in the JSON report as a warning.
    const json = await init(['--json', '--force', ...FLAGS], {
      CREATIO_SSO_COGNITO_IDP_URL: f.url,
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(JSON.parse(json.stdout).findings).toEqual([
      expect.objectContaining({ code: 'discovery/no-hosted-ui-domain', severity: 'warning' }),
    ]);
  });

  it("checks the pool's JWKS as generate does: a private key refuses, nothing is written", async () => {
    const f = await fake({
      pools: [{ userPoolId: POOL, prefix: 'acme-login' }],
      documents: { [POOL]: { jwks: { keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'k', n: 'AQAB', e: 'AQAB', d: 'AQAB' }] } } },
    });
    const r = await init(FLAGS, { CREATIO_SSO_COGNITO_IDP_URL: f.url, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jwks/private-key');
    expect(f.jwksCount()).toBe(1);
    expect(files()).toEqual([]);
  });

  it('fails when Cognito does not know the pool', async () => {
    const f = await fake({ pools: [] });
    const r = await init(FLAGS, { CREATIO_SSO_COGNITO_IDP_URL: f.url, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('discovery/pool-not-found');
    expect(files()).toEqual([]);
  });

  it('exits 3 suggesting --offline when Cognito cannot be reached', async () => {
    const port = await closedPort();
    const r = await init(FLAGS, { CREATIO_SSO_COGNITO_IDP_URL: `http://127.0.0.1:${port}`, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Could not reach Cognito');
    expect(r.stderr).toContain('--offline');
    expect(files()).toEqual([]);

    const json = await init(['--json', ...FLAGS], {
      CREATIO_SSO_COGNITO_IDP_URL: `http://127.0.0.1:${port}`,
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['discovery/unreachable']);
  });
});
