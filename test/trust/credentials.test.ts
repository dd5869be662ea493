import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { basicAuthorization, type HostedUiTarget } from '../../src/core/cognito/hosted-ui.js';
import { looksLikeSecretNotName, tokenEndpointConfirmed, unconfirmedDomainMessage, type TokenEndpointFacts } from '../../src/core/trust.js';
import { probeHostedUi } from '../../src/live/hosted-ui.js';
import { createHttpClient, CredentialRefusedError, type HttpClientOptions } from '../../src/net/http.js';
import type { HttpClient } from '../../src/net/types.js';
import { EXAMPLE_YAML, TEST_SECRET } from '../support/cli.js';
import { startFakeCognito } from '../support/fake-cognito.js';
import { startFakeHostedUi, type FakeAppClient } from '../support/fake-hosted-ui.js';
import { startProxy } from '../support/proxy.js';

/** SPEC §10, each rule attacked: where secrets go, cleartext, proxies, overrides, names that are secrets. */

const CLIENT_ID = '1h57kf5cpq17m0eml12eqe3alr';
const POOL = 'eu-west-1_AbCdEf123';
const PREFIX_HOST = 'acme-login.auth.eu-west-1.amazoncognito.com';
const T: HostedUiTarget = {
  providerUrl: `https://${PREFIX_HOST}`,
  userPoolId: POOL,
  clientId: CLIENT_ID,
  callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
  signOutUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
};
const goodClient = (): FakeAppClient => ({
  clientId: CLIENT_ID,
  secret: TEST_SECRET,
  callbackUrls: [T.callbackUrl],
  logoutUrls: [T.signOutUrl],
  scopes: ['openid', 'email', 'phone', 'profile'],
});
/** An upper-case secret, as a custom secret may be: the old check only knew lower-case letters. */
const UPPER_SECRET = 'QWERTY1234ASDFGH5678ZXCVBN90POIU';
const CI_TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function client(
  env: NodeJS.ProcessEnv,
  extra: Pick<HttpClientOptions, 'hostedUiHosts' | 'credentialKinds'> = {},
): HttpClient & { overrides: { hostedUi?: string } } {
  const c = createHttpClient({ env: { CREATIO_SSO_TEST: '1', ...env }, timeoutMs: 2000, ...extra });
  cleanups.push(() => c.close());
  return c;
}

/** A loopback server that records every request and answers what `answer` says (default 200 {}). */
async function recorder(
  answer: (req: IncomingMessage, body: string) => { status: number; body: string } = () => ({ status: 200, body: '{}' }),
) {
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = answer(req, body);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

const capture = () => {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { stream, text: () => text };
};

/** The CLI in process: exit code, stdout and stderr. */
async function cli(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const out = capture();
  const err = capture();
  const code = await main({
    argv: ['node', 'creatio-sso', ...argv],
    env: { CREATIO_SSO_TEST: '1', NO_COLOR: '1', ...env },
    cwd,
    stdin: Readable.from([]) as NodeJS.ReadableStream & { isTTY?: boolean },
    stdout: out.stream,
    stderr: err.stream,
  });
  return { code, stdout: out.text(), stderr: err.text(), all: out.text() + err.text() };
}

function folder(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'creatio-sso-trust-'));
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), yaml);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** No ESC, BEL, CR, DEL, C1 or line separator reaches the screen. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

describe('tokenEndpointConfirmed (§10: where the client secret may go)', () => {
  const facts = (over: Partial<TokenEndpointFacts>): TokenEndpointFacts => ({
    domainHost: PREFIX_HOST,
    region: 'eu-west-1',
    discovery: { kind: 'document', tokenEndpoint: `https://${PREFIX_HOST}/oauth2/token` },
    ...over,
  });
  it.each<[string, Partial<TokenEndpointFacts>, boolean]>([
    ['discovery names the same token endpoint host', {}, true],
    ['host compared case-insensitively', { domainHost: PREFIX_HOST.toUpperCase() }, true],
    ['discovery names another host (domain-mismatch)', { domainHost: 'evil.example.net' }, false],
    ['another prefix host of the region, document on another prefix', { domainHost: 'other.auth.eu-west-1.amazoncognito.com' }, false],
    [
      'prefix host of the pool region while the document shows a custom domain',
      { discovery: { kind: 'document', tokenEndpoint: 'https://auth.acme.com/oauth2/token' } },
      true,
    ],
    [
      'a FIPS prefix host of the pool region, custom domain in the document',
      {
        domainHost: 'acme.auth-fips.eu-west-1.amazoncognito.com',
        discovery: { kind: 'document', tokenEndpoint: 'https://auth.acme.com/oauth2/token' },
      },
      true,
    ],
    [
      'a prefix host of ANOTHER region, custom domain in the document',
      {
        domainHost: 'acme.auth.us-east-1.amazoncognito.com',
        discovery: { kind: 'document', tokenEndpoint: 'https://auth.acme.com/oauth2/token' },
      },
      false,
    ],
    [
      'a custom host while the document shows another custom host',
      { domainHost: 'auth.evil.net', discovery: { kind: 'document', tokenEndpoint: 'https://auth.acme.com/oauth2/token' } },
      false,
    ],
    ['a document without token endpoint', { discovery: { kind: 'document' } }, false],
    ['an http token endpoint', { discovery: { kind: 'document', tokenEndpoint: `http://${PREFIX_HOST}/oauth2/token` } }, false],
    ['discovery failed', { discovery: { kind: 'failed', why: 'discovery/unreachable' } }, false],
    ['--offline', { discovery: { kind: 'not-fetched', why: '--offline' } }, false],
    ['failed discovery, but --domain names it', { domainNamedBy: '--domain', discovery: { kind: 'failed', why: 'x' } }, true],
    ['mismatch, but CREATIO_SSO_DOMAIN names it', { domainHost: 'auth.acme.com', domainNamedBy: 'CREATIO_SSO_DOMAIN' }, true],
    [
      'offline, but CREATIO_SSO_HOSTED_UI_URL is set',
      { hostedUiOverride: true, discovery: { kind: 'not-fetched', why: '--offline' } },
      true,
    ],
    [
      'DescribeUserPool names the prefix host',
      { describedDomains: [PREFIX_HOST.toUpperCase()], discovery: { kind: 'failed', why: 'x' } },
      true,
    ],
    [
      'DescribeUserPool of a pinned pool names the custom domain',
      { domainHost: 'auth.acme.com', describedDomains: ['AUTH.acme.com'], poolPinnedBy: 'CREATIO_SSO_USER_POOL_ID' },
      true,
    ],
    [
      'DescribeUserPool names the custom domain of a pool only the file names',
      { domainHost: 'auth.acme.com', describedDomains: ['auth.acme.com'] },
      false,
    ],
    [
      'DescribeUserPool names another',
      { domainHost: 'auth.evil.net', describedDomains: ['auth.acme.com'], poolPinnedBy: '--user-pool-id' },
      false,
    ],
    [
      "discovery of a pool only the file names shows its custom domain (an attacker's pool and domain)",
      { domainHost: 'auth.attacker.example', discovery: { kind: 'document', tokenEndpoint: 'https://auth.attacker.example/oauth2/token' } },
      false,
    ],
    [
      'discovery of a pinned pool shows the custom domain',
      {
        domainHost: 'auth.acme.com',
        poolPinnedBy: 'CREATIO_SSO_USER_POOL_ID',
        discovery: { kind: 'document', tokenEndpoint: 'https://auth.acme.com/oauth2/token' },
      },
      true,
    ],
    [
      'a custom domain that ends like amazoncognito.com but is not under it',
      {
        domainHost: 'x.auth.eu-west-1.amazoncognito.com.evil.net',
        discovery: { kind: 'document', tokenEndpoint: 'https://x.auth.eu-west-1.amazoncognito.com.evil.net/oauth2/token' },
      },
      false,
    ],
  ])('%s → %s', (_name, over, confirmed) => {
    const trust = tokenEndpointConfirmed(facts(over));
    expect(trust.confirmed).toBe(confirmed);
    if (!trust.confirmed) expect(trust.why.length).toBeGreaterThan(10);
  });

  it('says why: the host the document names', () => {
    const trust = tokenEndpointConfirmed(facts({ domainHost: 'other.auth.eu-west-1.amazoncognito.com' }));
    expect(trust).toEqual({ confirmed: false, why: expect.stringContaining(PREFIX_HOST) as string });
  });

  it('says why: a custom domain only the file names, and the message names both ways to confirm it', () => {
    const trust = tokenEndpointConfirmed(facts({ domainHost: 'auth.acme.com' }));
    expect(trust).toEqual({ confirmed: false, why: expect.stringContaining('custom domain that only the config file names') as string });
    const message = unconfirmedDomainMessage('auth.acme.com', trust.confirmed ? '' : trust.why);
    expect(message).toContain('CREATIO_SSO_DOMAIN');
    expect(message).toContain('CREATIO_SSO_USER_POOL_ID');
  });
});

describe('names that are secrets (§10)', () => {
  it.each([
    ['COGNITO_CLIENT_SECRET', false],
    ['MY_SECRET_2', false],
    ['_x', false],
    ['SECRETSECRETSECRETSECRETSECRET', false],
    [UPPER_SECRET, true],
    [TEST_SECRET, true],
    ['abc+def1234567890abcdefgh', true],
    ['with-dash', true],
    ['1STARTS_WITH_DIGIT', true],
    ['', true],
  ])('%s looks like a secret: %s', (name, yes) => {
    expect(looksLikeSecretNotName(name)).toBe(yes);
  });

  it('--client-secret-env <upper-case secret> is refused (exit 2) without echoing it', async () => {
    const dir = folder(EXAMPLE_YAML);
    const r = await cli(['doctor', '--client-secret-env', UPPER_SECRET], {}, dir);
    expect(r.code).toBe(2);
    expect(r.all).toContain('--client-secret-env takes the NAME');
    expect(r.all).not.toContain(UPPER_SECRET);
    expect(r.all).not.toContain(UPPER_SECRET.slice(0, 12));
  });

  it('${env:<secret>} in the file is refused without echoing it', async () => {
    const dir = folder(EXAMPLE_YAML.replace('${env:COGNITO_CLIENT_SECRET}', `\${env:${UPPER_SECRET}}`));
    const r = await cli(['generate', '--dry-run', '--offline'], {}, dir);
    expect(r.all.replace(/\s+/g, ' ')).toContain('shaped like a secret'); // a pipe: prose wraps at 80 columns
    expect(r.all).not.toContain(UPPER_SECRET);
    expect(r.all).not.toContain(UPPER_SECRET.slice(0, 12));
  });
});

describe('the client secret only to a confirmed token endpoint (§10)', () => {
  it('doctor: discovery shows another domain → no token request, the warning says why, the ${env:} value stays home', async () => {
    // The pool's real domain is another prefix; the file names a host of its choosing and a CI token as "secret".
    const idp = await startFakeCognito({ pools: [{ userPoolId: POOL, prefix: 'the-real-one' }] });
    cleanups.push(() => idp.close());
    const hosted = await recorder();
    const dir = folder(
      EXAMPLE_YAML.replace('domain: acme-login', 'domain: auth.evil-collector.net').replace(
        '${env:COGNITO_CLIENT_SECRET}',
        '${env:DEPLOY_KEY}',
      ),
    );
    const r = await cli(['doctor', '--format', 'json'], { CREATIO_SSO_COGNITO_IDP_URL: idp.url, DEPLOY_KEY: CI_TOKEN }, dir);
    const doc = JSON.parse(r.stdout) as {
      files: Array<{ findings: Array<{ code: string; message: string }>; checks: Array<{ name: string; status: string }> }>;
    };
    const codes = doc.files[0]!.findings.map((f) => f.code);
    expect(codes).toContain('discovery/domain-mismatch');
    expect(codes).toContain('token/skipped-unconfirmed-domain');
    const warning = doc.files[0]!.findings.find((f) => f.code === 'token/skipped-unconfirmed-domain')!;
    // A custom domain only the file names is never confirmed by the pool (§10); the mismatch finding names the real one.
    expect(warning.message).toContain('custom domain that only the config file names');
    expect(doc.files[0]!.findings.find((f) => f.code === 'discovery/domain-mismatch')!.message).toContain(
      'the-real-one.auth.eu-west-1.amazoncognito.com',
    );
    expect(doc.files[0]!.checks.find((c) => c.name === 'token')!.status).toBe('skip');
    expect(hosted.seen).toEqual([]);
    expect(r.all).not.toContain(CI_TOKEN);
    expect(r.all).not.toContain(Buffer.from(CI_TOKEN).toString('base64'));
  });

  it('doctor: discovery unreachable → the token probe is skipped with the warning', async () => {
    const dir = folder(EXAMPLE_YAML);
    const r = await cli(
      ['doctor', '--format', 'json', '--timeout', '500'],
      { CREATIO_SSO_COGNITO_IDP_URL: 'http://127.0.0.1:9', COGNITO_CLIENT_SECRET: TEST_SECRET },
      dir,
    );
    const doc = JSON.parse(r.stdout) as { files: Array<{ findings: Array<{ code: string; message: string }> }> };
    const warning = doc.files[0]!.findings.find((f) => f.code === 'token/skipped-unconfirmed-domain');
    expect(warning?.message).toMatch(/could not be fetched/);
  });

  it('probeHostedUi: an unconfirmed domain gets no token request, whatever answers', async () => {
    const fake = await startFakeHostedUi({ clients: [goodClient()] });
    cleanups.push(() => fake.close());
    const http = client({ CREATIO_SSO_HOSTED_UI_URL: fake.url });
    const results = await probeHostedUi(T, {
      http,
      secret: TEST_SECRET,
      secretFrom: 'x',
      tokenTrust: { confirmed: false, why: 'the discovery document names another host' },
    });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['authorize', 'pass'],
      ['token', 'skip'],
      ['logout', 'pass'],
    ]);
    expect(results[1]!.findings.map((f) => [f.code, f.severity])).toEqual([['token/skipped-unconfirmed-domain', 'warning']]);
    expect(fake.requests.some((q) => q.path === '/oauth2/token')).toBe(false);
  });

  it('probeHostedUi: a confirmed domain still cannot send the secret to another host', async () => {
    const fake = await startFakeHostedUi({ clients: [goodClient()] });
    cleanups.push(() => fake.close());
    const http = client({ CREATIO_SSO_HOSTED_UI_URL: fake.url });
    const results = await probeHostedUi(T, {
      http,
      secret: TEST_SECRET,
      secretFrom: 'x',
      tokenTrust: { confirmed: true, host: 'somewhere-else.example', how: 'test' },
    });
    expect(results[1]!.status).toBe('skip');
    expect(results[1]!.summary).toContain('not a host this run allows');
    expect(fake.requests.some((q) => q.path === '/oauth2/token')).toBe(false);
  });
});

describe('no cleartext secret through a proxy (§10)', () => {
  it('doctor: HTTP_PROXY and an http loopback override → the secret never passes the proxy', async () => {
    const fake = await startFakeHostedUi({
      clients: [goodClient()],
      discovery: { userPoolId: POOL, region: 'eu-west-1', domainHost: PREFIX_HOST },
    });
    cleanups.push(() => fake.close());
    const proxy = await startProxy();
    cleanups.push(() => proxy.close());
    const dir = folder(EXAMPLE_YAML);
    const r = await cli(
      ['doctor', '--format', 'json'],
      {
        CREATIO_SSO_HOSTED_UI_URL: fake.url,
        CREATIO_SSO_COGNITO_IDP_URL: fake.url,
        HTTP_PROXY: proxy.url,
        COGNITO_CLIENT_SECRET: TEST_SECRET,
      },
      dir,
    );
    expect(proxy.passages.length).toBeGreaterThan(0); // the proxy is really in use
    expect(proxy.passages.some((p) => p.target.includes('/oauth2/token'))).toBe(false);
    expect(fake.requests.some((q) => q.path === '/oauth2/token')).toBe(false);
    const doc = JSON.parse(r.stdout) as { files: Array<{ checks: Array<{ name: string; status: string; summary: string }> }> };
    const token = doc.files[0]!.checks.find((c) => c.name === 'token')!;
    expect(token.status).toBe('skip');
    expect(token.summary).toMatch(/cleartext.*proxy/);
    expect(r.all).not.toContain(TEST_SECRET);
  });

  it('goes direct, past no proxy, when NO_PROXY covers the loopback override', async () => {
    const fake = await startFakeHostedUi({ clients: [goodClient()] });
    cleanups.push(() => fake.close());
    const proxy = await startProxy();
    cleanups.push(() => proxy.close());
    const http = client({ CREATIO_SSO_HOSTED_UI_URL: fake.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    const res = await http.request({
      method: 'POST',
      url: `https://${PREFIX_HOST}/oauth2/token`,
      headers: { authorization: basicAuthorization(CLIENT_ID, TEST_SECRET), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=x&redirect_uri=y',
      credential: { kind: 'client-secret', allowedHosts: [PREFIX_HOST] },
    });
    expect(JSON.parse(res.body)).toEqual({ error: 'invalid_grant' });
    expect(proxy.passages).toEqual([]);
  });
});

describe('the HTTP layer guards every credential (§10, the extension point)', () => {
  const post = (url: string, allowedHosts: string[], kind = 'vault-token') => ({
    method: 'POST' as const,
    url,
    headers: { authorization: 'Bearer s3cr3t-value-123' },
    body: 'x=1',
    credential: { kind, allowedHosts },
  });

  const vault = { credentialKinds: { 'vault-token': { label: 'the vault token' } } };

  it('a kind the client is given, pinned to one host: sent there, refused for another host, http elsewhere and a proxied http request', async () => {
    const server = await recorder();
    const proxy = await startProxy();
    cleanups.push(() => proxy.close());

    // Pinned host, http on loopback, no proxy: allowed.
    const res = await client({}, vault).request(post(`${server.url}/v1/login`, ['127.0.0.1']));
    expect(res.status).toBe(200);
    expect(server.seen).toHaveLength(1);

    // Another host (same machine, other name): refused before anything is sent.
    await expect(client({}, vault).request(post(`http://localhost:${server.port}/v1/login`, ['127.0.0.1']))).rejects.toThrow(
      /not a host this run allows/,
    );
    // http to a host that is not loopback, even when pinned: cleartext.
    await expect(client({}, vault).request(post('http://vault.example.com/v1/login', ['vault.example.com']))).rejects.toThrow(
      /cleartext \(http\) to vault\.example\.com/,
    );
    // The pinned loopback host, but through HTTP_PROXY: refused, the proxy sees nothing.
    await expect(client({ HTTP_PROXY: proxy.url }, vault).request(post(`${server.url}/v1/login`, ['127.0.0.1']))).rejects.toThrow(
      /through the proxy/,
    );
    expect(proxy.passages).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it('refuses an undeclared credential, an unknown kind, and the client secret off the token path', async () => {
    const server = await recorder();
    const http = client({});
    await expect(http.request({ method: 'POST', url: `${server.url}/x`, body: 'a=b' })).rejects.toBeInstanceOf(CredentialRefusedError);
    await expect(http.request({ method: 'GET', url: `${server.url}/x`, headers: { Cookie: 'session=1' } })).rejects.toThrow(
      /declares no credential/,
    );
    await expect(http.request(post(`${server.url}/x`, ['127.0.0.1'], 'never-registered'))).rejects.toThrow(/unknown kind/);
    await expect(http.request(post(`${server.url}/x`, ['127.0.0.1'], 'client-secret'))).rejects.toThrow(/token endpoint/);
    await expect(
      http.request(post(`http://user:pw@127.0.0.1:${server.port}/oauth2/token`, ['127.0.0.1'], 'client-secret')),
    ).rejects.toThrow(/credentials of its own/);
    expect(server.seen).toEqual([]);
  });

  it('a kind one client is given is unknown to another, and cannot loosen a built-in kind', async () => {
    const server = await recorder();
    await expect(client({}).request(post(`${server.url}/x`, ['127.0.0.1'], 'vault-token'))).rejects.toThrow(/unknown kind/);
    // A client given its own 'client-secret' rule (no path check) still holds the secret to the token path.
    const loose = client({}, { credentialKinds: { 'client-secret': { label: 'anything' } } });
    await expect(loose.request(post(`${server.url}/x`, ['127.0.0.1'], 'client-secret'))).rejects.toThrow(/token endpoint/);
    expect(server.seen).toEqual([]);
  });

  it('the hosted UI override routes only hosted UI hosts: a Creatio URL is not sent to it', async () => {
    const fake = await recorder();
    const http = client({ CREATIO_SSO_HOSTED_UI_URL: fake.url }, { hostedUiHosts: ['auth.acme.com'] });
    await http.request({ method: 'GET', url: 'https://auth.acme.com/logout' });
    await expect(http.request({ method: 'GET', url: 'https://acme.creatio.com/0/ServiceModel/x' })).rejects.toThrow(
      /loopback addresses only/,
    );
    expect(fake.seen.map((s) => s.url)).toEqual(['/logout']);
  });
});

describe('nothing raw reaches the terminal (§10)', () => {
  const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007\r\n✔ token: accepted\u009b31m\u007f';

  async function hostileDoctor(format: string, extraArgs: string[] = []) {
    const fake = await startFakeHostedUi({
      clients: [goodClient()],
      discovery: { userPoolId: POOL, region: 'eu-west-1', domainHost: PREFIX_HOST },
      answer: (q) => (q.path === '/oauth2/token' ? { status: 400, body: JSON.stringify({ error: `invalid_grant${HOSTILE}` }) } : undefined),
    });
    cleanups.push(() => fake.close());
    const dir = folder(EXAMPLE_YAML);
    return cli(
      ['doctor', '--format', format, ...extraArgs],
      { CREATIO_SSO_HOSTED_UI_URL: fake.url, CREATIO_SSO_COGNITO_IDP_URL: fake.url, COGNITO_CLIENT_SECRET: TEST_SECRET },
      dir,
    );
  }

  it.each(['text', 'github'])("a token endpoint's error cannot clear the screen or forge a line (--format %s)", async (format) => {
    const r = await hostileDoctor(format, ['--verbose']);
    expect(r.all).toContain('invalid_grant');
    expect(r.all).not.toMatch(RAW_CONTROL);
    expect(r.all.split('\n').some((l) => l.startsWith('✔ token: accepted'))).toBe(false);
    expect(r.all).toContain('\\u001b[2J');
  });

  it('JSON: DEL and C1 written as \\u escapes, the document still parses', async () => {
    const r = await hostileDoctor('json');
    expect(r.stdout).not.toMatch(/[\u007f-\u009f]/);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  });

  it("Cognito's 400 message and the discovery issuer are shown visibly, also as GitHub annotations", async () => {
    const idp = await startFakeCognito({
      pools: [{ userPoolId: POOL }],
      misbehave: {
        [POOL]: { discovery: { status: 400, body: JSON.stringify({ message: `User pool gone${HOSTILE}${'x'.repeat(5000)}` }) } },
      },
    });
    cleanups.push(() => idp.close());
    const dir = folder(EXAMPLE_YAML);
    const r = await cli(['validate', '--online', '--format', 'github'], { CREATIO_SSO_COGNITO_IDP_URL: idp.url }, dir);
    expect(r.stdout).toContain('User pool gone');
    expect(r.all).not.toMatch(RAW_CONTROL);
    for (const line of r.stdout.split('\n').filter(Boolean)) expect(line.length).toBeLessThan(700);

    const issuerPool = await startFakeCognito({
      pools: [{ userPoolId: POOL }],
      documents: {
        [POOL]: { discovery: { issuer: `https://evil${HOSTILE}`, authorization_endpoint: `https://${PREFIX_HOST}/oauth2/authorize` } },
      },
    });
    cleanups.push(() => issuerPool.close());
    const g = await cli(['validate', '--online', '--format', 'github'], { CREATIO_SSO_COGNITO_IDP_URL: issuerPool.url }, dir);
    expect(g.stdout).toContain('discovery/issuer-mismatch');
    expect(g.all).not.toMatch(RAW_CONTROL);
  });

  it('displayName cannot reach SETUP.md or --dry-run raw', async () => {
    const dir = folder(EXAMPLE_YAML.replace('displayName: Cognito AWS', 'displayName: "Cognito\\e]0;pwned\\a\\e[2J\\u009b"'));
    const dry = await cli(['generate', '--dry-run', '--offline'], { COGNITO_CLIENT_SECRET: TEST_SECRET }, dir);
    expect(dry.all).toContain('Cognito');
    expect(dry.all).not.toMatch(RAW_CONTROL);
    expect(dry.all).not.toContain(TEST_SECRET);
    const out = path.join(dir, 'out');
    const gen = await cli(['generate', '--offline', '--out-dir', out], { COGNITO_CLIENT_SECRET: TEST_SECRET }, dir);
    expect(gen.code).toBe(0);
    for (const f of ['SETUP.md', 'creatio-sso-record.json', 'cognito-app-client.json']) {
      expect(readFileSync(path.join(out, f), 'utf8')).not.toMatch(RAW_CONTROL);
    }
  });

  it('a 10,000-key JWKS gives a short finding with a count', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => ({ kty: 'EC', kid: `k${i}`, d: 'private' }));
    const idp = await startFakeCognito({ pools: [{ userPoolId: POOL }], documents: { [POOL]: { jwks: { keys } } } });
    cleanups.push(() => idp.close());
    const dir = folder(EXAMPLE_YAML);
    const r = await cli(['validate', '--online', '--format', 'json'], { CREATIO_SSO_COGNITO_IDP_URL: idp.url }, dir);
    const doc = JSON.parse(r.stdout) as { files: Array<{ findings: Array<{ code: string; message: string }> }> };
    const jwks = doc.files[0]!.findings.filter((f) => f.code.startsWith('jwks/'));
    expect(jwks.map((f) => f.code).sort()).toEqual(['jwks/no-signing-key', 'jwks/private-key']);
    for (const f of jwks) {
      expect(f.message.length).toBeLessThanOrEqual(500);
      expect(f.message).toContain('and 9,995 more');
    }
  });
});

describe('credentials inside URLs are masked (§10)', () => {
  it('HTTPS_PROXY with credentials: the message names the proxy without them', async () => {
    const dir = folder(EXAMPLE_YAML);
    const r = await cli(
      ['validate', '--online', '--timeout', '1000'],
      { HTTPS_PROXY: 'http://proxyuser:Pr0xyPassw0rd@127.0.0.1:9', CREATIO_SSO_COGNITO_IDP_URL: 'https://127.0.0.1:9' },
      dir,
    );
    expect(r.all).not.toContain('Pr0xyPassw0rd');
    expect(r.all).not.toContain('proxyuser');
  });

  it('an override URL with credentials is refused (exit 2) without echoing them', async () => {
    const dir = folder(EXAMPLE_YAML);
    const r = await cli(['validate', '--online'], { CREATIO_SSO_HOSTED_UI_URL: 'https://admin:0verridePass@idp.example.test' }, dir);
    expect(r.code).toBe(2);
    expect(r.all).toContain('***@idp.example.test');
    expect(r.all).not.toContain('0verridePass');
  });
});
