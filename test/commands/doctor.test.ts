import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_YAML, runCli, TEST_SECRET, tempDir, type CliResult } from '../support/cli.js';
import { hostedUiPool, type FakeAppClient, type FakeHostedUi, type FakeHostedUiOptions } from '../support/fake-hosted-ui.js';

/**
 * `creatio-sso doctor` end to end: the CLI (in-process, through main) against a loopback hosted UI that answers as SPEC §2
 * says Cognito does, for the §4 example config.
 */
const CLIENT_ID = '1h57kf5cpq17m0eml12eqe3alr';
const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
const POOL = { userPoolId: 'eu-west-1_AbCdEf123', region: 'eu-west-1', domainHost: 'acme-login.auth.eu-west-1.amazoncognito.com' };

/** The app client as Creatio needs it. */
const goodClient = (over: Partial<FakeAppClient> = {}): FakeAppClient => ({
  clientId: CLIENT_ID,
  secret: TEST_SECRET,
  callbackUrls: [CALLBACK],
  logoutUrls: [SIGN_OUT],
  scopes: ['openid', 'email', 'phone', 'profile'],
  ...over,
});

let dir: string;
let cleanup: () => void;
// The fake servers start once for the file; each test sets the answers it needs.
const fakes = hostedUiPool();
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
});
afterEach(() => {
  fakes.release();
  cleanup();
});
afterAll(() => fakes.close());

function fake(options: Partial<FakeHostedUiOptions> = {}): Promise<FakeHostedUi> {
  return fakes.take({ clients: [goodClient()], discovery: POOL, ...options });
}

/** Run doctor with both override variables on loopback; the discovery fake defaults to the hosted UI fake. */
function doctor(
  hostedUi: string,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
  input?: string,
  idp = hostedUi,
): Promise<CliResult> {
  return runCli(['doctor', ...args], {
    cwd: dir,
    input,
    env: {
      CREATIO_SSO_TEST: '1',
      CREATIO_SSO_HOSTED_UI_URL: hostedUi,
      CREATIO_SSO_COGNITO_IDP_URL: idp,
      COGNITO_CLIENT_SECRET: TEST_SECRET,
      ...env,
    },
  });
}

const noSecret = (r: CliResult) => {
  expect(r.stdout).not.toContain(TEST_SECRET);
  expect(r.stderr).not.toContain(TEST_SECRET);
  // Nor its Base64 form inside a Basic header.
  const basic = Buffer.from(`${CLIENT_ID}:${TEST_SECRET}`).toString('base64');
  expect(r.stdout + r.stderr).not.toContain(basic);
};
const hostedUiRequests = (f: FakeHostedUi) => f.requests.filter((r) => !r.path.includes('/.well-known/'));
const codesOf = (r: CliResult) =>
  (JSON.parse(r.stdout) as { files: { findings: { code: string }[] }[] }).files[0]!.findings.map((f) => f.code);

describe('creatio-sso doctor: a correct setup', () => {
  it('passes every check, exit 0, with a line per check', async () => {
    const f = await fake();
    const r = await doctor(f.url);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ config: valid, client secret resolved');
    expect(r.stdout).toContain('✔ authorize: client known, callback registered, scopes allowed');
    expect(r.stdout).toContain('✔ token: client secret accepted');
    expect(r.stdout).toContain('✔ logout: sign-out URL registered');
    expect(r.stdout).toMatch(/✔ 0 errors, 0 warnings in 1 file\n$/);
    noSecret(r);
  });

  it('waits two round trips: discovery, JWKS, authorize and logout leave together; token after their answers', async () => {
    // Every answer comes 150 ms after its request. token waits for discovery to confirm the domain
    // (§10) and for authorize; logout waits for nothing, so token reuses a connection already open.
    const f = await fake({ delayMs: 150 });
    const r = await doctor(f.url);
    expect(r.code).toBe(0);
    const first = Math.min(...f.requests.map((q) => q.at));
    const when = (path: string) => f.requests.filter((q) => q.path.endsWith(path)).map((q) => q.at - first);
    for (const path of ['/openid-configuration', '/jwks.json', '/oauth2/authorize', '/logout']) {
      expect(when(path), path).toHaveLength(1);
      expect(when(path)[0], path).toBeLessThan(100);
    }
    expect(when('/oauth2/token')).toHaveLength(1);
    expect(when('/oauth2/token')[0]).toBeGreaterThanOrEqual(140);
    expect(when('/oauth2/token')[0]).toBeLessThan(290);
  });

  it('--skip hosted-ui leaves the probes out and says so; an unknown section is a usage error', async () => {
    const f = await fake();
    const r = await doctor(f.url, ['--skip', 'hosted-ui', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { checks: { name: string; status: string; summary: string }[] };
    for (const name of ['authorize', 'token', 'logout']) {
      expect(doc.checks.find((c) => c.name === name)).toMatchObject({
        status: 'skip',
        summary: expect.stringContaining('--skip hosted-ui'),
      });
    }
    expect(hostedUiRequests(f)).toEqual([]);
    const bad = await doctor(f.url, ['--skip', 'hosted-ui,browser']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('aws, creatio, hosted-ui, login');
  });

  it('asks exactly what Creatio asks, and sends the secret only to the token endpoint, as HTTP Basic', async () => {
    const f = await fake();
    expect((await doctor(f.url)).code).toBe(0);
    const byPath = new Map(hostedUiRequests(f).map((r) => [r.path, r]));
    expect([...byPath.keys()].sort()).toEqual(['/logout', '/oauth2/authorize', '/oauth2/token']);

    const authorize = byPath.get('/oauth2/authorize')!;
    expect(authorize.method).toBe('GET');
    expect(Object.fromEntries(authorize.query)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: CALLBACK,
      scope: 'openid email phone profile',
    });
    expect(authorize.query.get('state')).toMatch(/^[0-9a-f]{32}$/);

    const token = byPath.get('/oauth2/token')!;
    expect(token.method).toBe('POST');
    expect(token.headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${TEST_SECRET}`).toString('base64')}`);
    const form = new URLSearchParams(token.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('redirect_uri')).toBe(CALLBACK);
    expect(form.get('code')).toBeTruthy();
    expect(token.body).not.toContain(TEST_SECRET);

    expect(Object.fromEntries(byPath.get('/logout')!.query)).toEqual({ client_id: CLIENT_ID, logout_uri: SIGN_OUT });

    // The token probe is the only request with credentials, and nothing else carries the secret.
    expect(f.requests.filter((r) => r.headers.authorization !== undefined).map((r) => r.path)).toEqual(['/oauth2/token']);
    for (const r of f.requests) expect(`${r.path}?${r.query} ${r.body}`).not.toContain(TEST_SECRET);
  });

  it('--format json prints exactly one §9 document with a checks array, secret never shown (also --verbose)', async () => {
    const f = await fake();
    const r = await doctor(f.url, ['--format', 'json', '--verbose']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & { files: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(['ok', 'summary', 'files', 'checks']);
    // The checks at the top of the document, and on the one file's entry too.
    expect(doc.checks).toEqual(doc.files[0]!.checks);
    expect(doc.ok).toBe(true);
    expect(doc.summary).toEqual({ files: 1, errors: 0, warnings: 0 });
    expect(doc.files).toHaveLength(1);
    expect(doc.files[0]).toMatchObject({ file: 'creatio-sso.yaml', ok: true, findings: [] });
    expect(doc.files[0]!.checks).toEqual([
      { name: 'config', status: 'pass', summary: 'valid, client secret resolved' },
      expect.objectContaining({ name: 'discovery' }),
      { name: 'authorize', status: 'pass', summary: 'client known, callback registered, scopes allowed' },
      { name: 'token', status: 'pass', summary: 'client secret accepted' },
      { name: 'logout', status: 'pass', summary: 'sign-out URL registered' },
      { name: 'login', status: 'skip', summary: expect.stringContaining('--login <username>') },
      // No AWS credentials in the environment: the §11 audit is skipped, with how to enable it.
      { name: 'aws', status: 'skip', summary: expect.stringContaining('--aws-profile') },
      { name: 'creatio', status: 'skip', summary: expect.stringContaining('no provider code given') },
    ]);
    // --verbose tells what was asked, on stderr, without the credentials.
    expect(r.stderr).toContain(
      'token: POST https://acme-login.auth.eu-west-1.amazoncognito.com/oauth2/token (HTTP Basic client authentication)',
    );
    noSecret(r);
  });

  it('takes the secret from --client-secret-stdin, and from --client-secret-env', async () => {
    const f = await fake();
    const piped = await doctor(f.url, ['--client-secret-stdin', '--verbose'], { COGNITO_CLIENT_SECRET: undefined }, `${TEST_SECRET}\n`);
    expect(piped.code).toBe(0);
    noSecret(piped);
    const named = await doctor(f.url, ['--client-secret-env', 'MY_SECRET'], { COGNITO_CLIENT_SECRET: undefined, MY_SECRET: TEST_SECRET });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('✔ token: client secret accepted');
  });
});

describe('creatio-sso doctor: what the hosted UI refuses', () => {
  it('a callback URL that is not registered: callback/not-registered naming the URL to add, exit 1', async () => {
    const f = await fake({ clients: [goodClient({ callbackUrls: [`${CALLBACK}/`] })] });
    const r = await doctor(f.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ authorize: callback URL not registered');
    expect(r.stdout).toContain('callback/not-registered');
    expect(r.stdout).toContain(`add ${CALLBACK} to Allowed callback URLs`);
    expect(r.stdout).toContain('Login pages');
    noSecret(r);
  });

  it('an unknown client ID: client/unknown, the secret is not sent, and logout (sent with authorize) not reported', async () => {
    const f = await fake({ clients: [goodClient({ clientId: 'someotherclient0000000000a' })] });
    const r = await doctor(f.url, ['--format', 'json']);
    expect(r.code).toBe(1);
    expect(codesOf(r)).toEqual(['client/unknown']);
    expect(
      hostedUiRequests(f)
        .map((q) => q.path)
        .sort(),
    ).toEqual(['/logout', '/oauth2/authorize']);
    expect(f.requests.some((q) => q.headers.authorization !== undefined)).toBe(false);
    const checks = (JSON.parse(r.stdout) as { files: { checks: { name: string; status: string }[] }[] }).files[0]!.checks;
    expect(checks.filter((c) => c.status === 'skip').map((c) => c.name)).toEqual(['token', 'logout', 'login', 'aws', 'creatio']);
  });

  it('a --client-id flag wins over the file (and CREATIO_SSO_CLIENT_ID would too)', async () => {
    const f = await fake();
    const flag = await doctor(f.url, ['--format', 'json', '--client-id', 'someotherclient0000000000a']);
    expect(flag.code).toBe(1);
    // §10 "No silent overrides": the JSON names the replaced key and its source.
    expect(codesOf(flag)).toEqual(['input/overridden', 'client/unknown']);
    const env = await doctor(f.url, ['--format', 'json'], { CREATIO_SSO_CLIENT_ID: 'someotherclient0000000000a' });
    expect(codesOf(env)).toEqual(['input/overridden', 'client/unknown']);
  });

  it.each(['error-page', 'redirect'] as const)('a scope the client does not allow (%s shape): scope/not-allowed', async (scopeError) => {
    const f = await fake({ clients: [goodClient({ scopes: ['openid', 'email', 'profile'] })], scopeError });
    const r = await doctor(f.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ authorize: scopes not allowed');
    expect(r.stdout).toContain('scope/not-allowed');
    expect(r.stdout).toContain('OpenID Connect scopes select OpenID, Email, Phone and Profile');
  });

  it.each([400, 401] as const)(
    'a wrong secret (%i invalid_client): client-secret/rejected, secret still never shown',
    async (invalidClientStatus) => {
      const f = await fake({ clients: [goodClient({ secret: 'x'.repeat(52) })], invalidClientStatus });
      const r = await doctor(f.url, ['--verbose']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('✖ token: client secret rejected');
      expect(r.stdout).toContain('client-secret/rejected');
      expect(r.stdout).toContain('COGNITO_CLIENT_SECRET');
      noSecret(r);
    },
  );

  it('a sign-out URL that is not registered: logout/not-registered naming the URL to add', async () => {
    const f = await fake({ clients: [goodClient({ logoutUrls: ['https://acme.creatio.com/'] })] });
    const r = await doctor(f.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ logout: sign-out URL not registered');
    expect(r.stdout).toContain(`add ${SIGN_OUT} to Allowed sign-out URLs`);
  });

  it('an answer none of the rules explains: hosted-ui/unexpected with status and Location, a warning (exit 0; --strict 1)', async () => {
    const f = await fake({
      answer: (q) =>
        q.path === '/oauth2/authorize'
          ? { status: 302, headers: { location: 'https://idp.example.com/saml/sso?SAMLRequest=abc' } }
          : undefined,
    });
    const r = await doctor(f.url);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('! authorize: unexpected answer 302 with Location https://idp.example.com/saml/sso?SAMLRequest=abc');
    expect(r.stdout).toMatch(
      /warning\s+hosted-ui\/unexpected\s+The authorize request answered 302 with Location https:\/\/idp\.example\.com\/saml\/sso\?SAMLRequest=abc/,
    );
    const strict = await doctor(f.url, ['--strict']);
    expect(strict.code).toBe(1);
  });

  it('--format github annotates the config file', async () => {
    const f = await fake({ clients: [goodClient({ callbackUrls: [] })] });
    const r = await doctor(f.url, ['--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=creatio-sso\.yaml,line=4,col=8,title=callback\/not-registered::Cognito does not accept/m);
    expect(r.stderr).toContain('✖ authorize: callback URL not registered');
    noSecret(r);
  });
});

describe('creatio-sso doctor: inputs and reachability', () => {
  it('a missing secret is client-secret/unresolved; the other probes still run, the token probe does not', async () => {
    const f = await fake();
    const r = await doctor(f.url, ['--format', 'json'], { COGNITO_CLIENT_SECRET: undefined });
    expect(r.code).toBe(1);
    expect(codesOf(r)).toEqual(['client-secret/unresolved']);
    expect(
      hostedUiRequests(f)
        .map((q) => q.path)
        .sort(),
    ).toEqual(['/logout', '/oauth2/authorize']);
    expect(f.requests.some((q) => q.headers.authorization !== undefined)).toBe(false);
  });

  it('a hosted UI that never answers: hosted-ui/unreachable, exit 3 within --timeout', async () => {
    const idp = await fake();
    const silent = await fake({ silent: true });
    const started = Date.now();
    const r = await doctor(silent.url, ['--timeout', '500'], {}, undefined, idp.url);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('? authorize: no answer');
    expect(r.stdout).toContain('hosted-ui/unreachable');
    expect(Date.now() - started).toBeLessThan(10_000);
    // Nothing more than the first round is tried against a silent host, and the secret never left.
    expect(silent.requests.map((q) => q.path).sort()).toEqual(['/logout', '/oauth2/authorize']);
    noSecret(r);
  });

  it.each([503, 429])(
    'a hosted UI that answers HTTP %i ("try again later"): hosted-ui/unreachable naming the URL that answered, exit 3',
    async (status) => {
      const idp = await fake();
      const busy = await fake({ answer: (q) => (q.path.startsWith('/oauth2/authorize') ? { status, body: 'busy' } : undefined) });
      const r = await doctor(busy.url, ['--format', 'json'], {}, undefined, idp.url);
      expect(r.code).toBe(3);
      expect(codesOf(r)).toEqual(['hosted-ui/unreachable']);
      expect(r.stdout).toContain(`${busy.url}/oauth2/authorize`);
      expect(r.stdout).toContain(`answered HTTP ${status}`);
      noSecret(r);
    },
  );

  it('a hosted UI where nothing listens: exit 3', async () => {
    const idp = await fake();
    const port = await freePort();
    const r = await doctor(`http://127.0.0.1:${port}`, ['--format', 'json'], {}, undefined, idp.url);
    expect(r.code).toBe(3);
    expect(codesOf(r)).toEqual(['hosted-ui/unreachable']);
  });

  it('a definite failure wins over an unreachable host: exit 1', async () => {
    const idp = await fake();
    const port = await freePort();
    const r = await doctor(`http://127.0.0.1:${port}`, ['--format', 'json'], { COGNITO_CLIENT_SECRET: undefined }, undefined, idp.url);
    expect(r.code).toBe(1);
    expect(codesOf(r)).toEqual(expect.arrayContaining(['client-secret/unresolved', 'hosted-ui/unreachable']));
  });

  it('a config with errors probes nothing and exits 1', async () => {
    const f = await fake();
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML.replace('domain: acme-login', 'domain: eu-west-1_AbCdEf123'));
    const r = await doctor(f.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('domain/is-user-pool-id');
    expect(r.stdout).toContain('- authorize: skipped: the config has errors');
    expect(f.requests).toEqual([]);
  });

  it('a config file that cannot be read is config/parse (exit 1); none at all is a usage error (exit 2)', async () => {
    const f = await fake();
    const r = await doctor(f.url, ['--config', 'missing.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('config/parse');
    const empty = tempDir();
    try {
      const none = await runCli(['doctor'], { cwd: empty.dir });
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('No config file');
    } finally {
      empty.cleanup();
    }
  });
});

/** A port on loopback where nothing listens (taken, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('creatio-sso doctor: discovery disagrees with the config', () => {
  it('still probes the configured domain, which is what Creatio will use', async () => {
    const f = await fake({ discovery: { ...POOL, domainHost: 'other-login.auth.eu-west-1.amazoncognito.com' } });
    const r = await doctor(f.url, ['--format', 'json']);
    expect(r.code).toBe(1);
    expect(codesOf(r)).toContain('discovery/domain-mismatch');
    expect(
      hostedUiRequests(f)
        .map((q) => q.path)
        .sort(),
    ).toEqual(['/logout', '/oauth2/authorize', '/oauth2/token']);
    const checks = (JSON.parse(r.stdout) as { files: { checks: { name: string; status: string }[] }[] }).files[0]!.checks;
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['config', 'pass'],
      ['discovery', 'fail'],
      ['authorize', 'pass'],
      ['token', 'pass'],
      ['logout', 'pass'],
      ['login', 'skip'],
      ['aws', 'skip'],
      ['creatio', 'skip'],
    ]);
  });
});
