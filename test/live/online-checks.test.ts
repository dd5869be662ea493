import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/core/config/checks.js';
import { validateConfigText } from '../../src/core/config/validate.js';
import type { Context } from '../../src/cli/context.js';
import { UsageError } from '../../src/cli/errors.js';
import { createOutput } from '../../src/io/output.js';
import { fetchDiscovery } from '../../src/live/discovery.js';
import { lookupPool } from '../../src/live/lookup.js';
import { runOnlineChecks, type OnlineItem } from '../../src/live/online.js';
import { isInconclusive } from '../../src/live/inconclusive.js';
import { createHttpClient, DEFAULT_CONCURRENCY } from '../../src/net/http.js';
import { EXAMPLE_YAML } from '../support/cli.js';
import { startFakeCognito, type FakeCognito, type FakeCognitoOptions, type FakePool } from '../support/fake-cognito.js';

const POOL = 'eu-west-1_AbCdEf123';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function fake(options: FakeCognitoOptions): Promise<FakeCognito> {
  const f = await startFakeCognito(options);
  cleanups.push(() => f.close());
  return f;
}

/** A context as cli.ts builds it, pointed at the fake; stderr captured (not a terminal). */
function context(env: NodeJS.ProcessEnv, timeoutMs = 2000): Context & { errText: () => string } {
  const err = new PassThrough();
  let text = '';
  err.on('data', (d: Buffer) => (text += d.toString()));
  return {
    output: createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: err, env: {} }),
    stdout: new PassThrough(),
    stderr: err,
    signal: new AbortController().signal,
    env: { CREATIO_SSO_TEST: '1', ...env },
    cwd: process.cwd(),
    stdin: new PassThrough(),
    interactive: false,
    timeoutMs,
    verbose: false,
    errText: () => text,
  };
}

/** The §4 example with another pool and domain, resolved by the offline checks. */
function resolved(userPoolId = POOL, domain = 'acme-login'): ResolvedConfig {
  const yaml = EXAMPLE_YAML.replace('userPoolId: eu-west-1_AbCdEf123', `userPoolId: ${userPoolId}`)
    .replace(/^ *region: eu-west-1 .*\n/m, '')
    .replace('domain: acme-login', `domain: ${domain}`);
  const v = validateConfigText(yaml);
  if (!v.resolved) throw new Error(`example did not resolve: ${JSON.stringify(v.findings)}`);
  return v.resolved;
}
const item = (file: string, userPoolId = POOL, domain = 'acme-login'): OnlineItem => ({ file, resolved: resolved(userPoolId, domain) });

async function check(pool: FakePool, domain: string, extra: Partial<FakeCognitoOptions> = {}, timeoutMs = 2000) {
  const f = await fake({ pools: [pool], ...extra });
  const r = await runOnlineChecks([item('a.yaml', pool.userPoolId, domain)], context({ CREATIO_SSO_COGNITO_IDP_URL: f.url }, timeoutMs));
  return { f, r, findings: r.findings.get('a.yaml')!, codes: r.findings.get('a.yaml')!.map((x) => x.code) };
}

describe('runOnlineChecks against a fake cognito-idp', () => {
  it.each<[string, FakePool, string, string[]]>([
    ['prefix domain', { userPoolId: POOL, prefix: 'acme-login' }, 'acme-login', []],
    [
      'prefix domain pasted as a URL',
      { userPoolId: POOL, prefix: 'acme-login' },
      'https://acme-login.auth.eu-west-1.amazoncognito.com/login',
      [],
    ],
    ['custom domain', { userPoolId: POOL, shape: 'custom', customDomain: 'auth.acme.com' }, 'auth.acme.com', []],
    ['GovCloud prefix domain', { userPoolId: 'us-gov-west-1_AbCdEf123', prefix: 'acme-gov' }, 'acme-gov', []],
    ['pre-2024 document', { userPoolId: POOL, shape: 'pre-2024', prefix: 'acme-login' }, 'acme-login', ['discovery/no-end-session']],
    ['another prefix', { userPoolId: POOL, prefix: 'acme-real' }, 'acme-login', ['discovery/domain-mismatch']],
    ['no domain, 2024 shape', { userPoolId: POOL, shape: 'no-domain' }, 'acme-login', ['discovery/no-hosted-ui-domain']],
    ['no domain, old shape', { userPoolId: POOL, shape: 'no-domain-old' }, 'acme-login', ['discovery/no-hosted-ui-domain']],
  ])('%s', async (_name, pool, domain, expected) => {
    const { codes, r, f } = await check(pool, domain);
    expect(codes).toEqual(expected);
    expect(r.inconclusive).toBe(false);
    expect(f.discoveryCount()).toBe(1);
    expect(f.jwksCount()).toBe(1);
  });

  it('names the real domain, at cognito.domain', async () => {
    const { findings } = await check({ userPoolId: POOL, prefix: 'acme-real' }, 'acme-login');
    expect(findings[0]).toMatchObject({ path: 'cognito.domain', severity: 'error' });
    expect(findings[0]!.message).toContain('acme-real.auth.eu-west-1.amazoncognito.com');
    expect(findings[0]!.message).toContain('Set cognito.domain: acme-real');
  });

  it.each([400, 404] as const)('reports an unknown pool (%i) once, and asks for no JWKS', async (status) => {
    const { codes, f, findings } = await check({ userPoolId: 'eu-west-1_Other1234' }, 'acme-login', {
      pools: [],
      unknownPoolStatus: status,
    });
    expect(codes).toEqual(['discovery/pool-not-found']);
    expect(findings[0]!.path).toBe('cognito.userPoolId');
    expect(f.jwksCount()).toBe(0);
  });

  it.each<[string, FakeCognitoOptions['misbehave'], string[], boolean]>([
    ['discovery never answers', { [POOL]: { discovery: 'hang' } }, ['discovery/unreachable'], true],
    ['discovery resets the connection', { [POOL]: { discovery: 'reset' } }, ['discovery/unreachable'], true],
    ['discovery sends 50 MiB', { [POOL]: { discovery: 'huge' } }, ['discovery/unreachable'], true],
    ['discovery sends HTML', { [POOL]: { discovery: 'html' } }, ['discovery/invalid'], false],
    ['discovery answers 500 (try again later)', { [POOL]: { discovery: 'status-500' } }, ['discovery/unreachable'], true],
    ['discovery answers 429', { [POOL]: { discovery: { status: 429, body: '' } } }, ['discovery/unreachable'], true],
    ['discovery answers 404', { [POOL]: { discovery: { status: 404, body: '' } } }, ['discovery/http-error'], false],
    ['discovery redirects', { [POOL]: { discovery: 'redirect' } }, ['discovery/http-error'], false],
    ['JWKS never answers', { [POOL]: { jwks: 'hang' } }, ['jwks/unreachable'], true],
    ['JWKS sends HTML', { [POOL]: { jwks: 'html' } }, ['jwks/invalid'], false],
    ['JWKS answers 500 (try again later)', { [POOL]: { jwks: 'status-500' } }, ['jwks/unreachable'], true],
    ['JWKS answers 404', { [POOL]: { jwks: { status: 404, body: '' } } }, ['jwks/invalid'], false],
  ])('%s', async (_name, misbehave, expected, inconclusive) => {
    const { codes, r } = await check({ userPoolId: POOL, prefix: 'acme-login' }, 'acme-login', { misbehave }, 300);
    expect(codes).toEqual(expected);
    expect(r.inconclusive).toBe(inconclusive);
    expect(r.findings.get('a.yaml')!.every((f) => isInconclusive(f) === inconclusive)).toBe(true);
  });

  it('reports a JWKS that leaks private material', async () => {
    const keys = { keys: [{ kty: 'RSA', kid: 'k1', alg: 'RS256', use: 'sig', n: 'abc', e: 'AQAB', d: 'secret' }] };
    const { codes } = await check({ userPoolId: POOL, prefix: 'acme-login' }, 'acme-login', { documents: { [POOL]: { jwks: keys } } });
    expect(codes).toEqual(['jwks/private-key']);
  });

  it('is inconclusive when nothing listens, and says where it tried', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const r = await runOnlineChecks([item('a.yaml')], context({ CREATIO_SSO_COGNITO_IDP_URL: `http://127.0.0.1:${port}` }));
    expect(r.inconclusive).toBe(true);
    const [f] = r.findings.get('a.yaml')!;
    expect(f).toMatchObject({ code: 'discovery/unreachable', severity: 'error' });
    expect(f!.message).toContain('connection refused');
  });

  it('judges each file against its own domain, with one fetch for the pool', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }] });
    const r = await runOnlineChecks(
      [item('good.yaml'), item('bad.yaml', POOL, 'acme-wrong')],
      context({ CREATIO_SSO_COGNITO_IDP_URL: f.url }),
    );
    expect(r.findings.get('good.yaml')).toEqual([]);
    expect(r.findings.get('bad.yaml')!.map((x) => x.code)).toEqual(['discovery/domain-mismatch']);
    expect([f.discoveryCount(), f.jwksCount()]).toEqual([1, 1]);
  });

  it('sends exactly one discovery and one JWKS request per pool: 200 files over 20 pools', async () => {
    const pools = Array.from({ length: 20 }, (_, i) => ({
      userPoolId: `eu-west-1_Bench${String(i).padStart(4, '0')}`,
      prefix: `bench-${i}`,
    }));
    const f = await fake({ pools, delayMs: 100 });
    const items = Array.from({ length: 200 }, (_, i) => item(`envs/${i}.yaml`, pools[i % 20]!.userPoolId, `bench-${i % 20}`));
    const ctx = context({ CREATIO_SSO_COGNITO_IDP_URL: f.url });
    const r = await runOnlineChecks(items, ctx);
    expect(r.inconclusive).toBe(false);
    expect([...r.findings.values()].flat()).toEqual([]);
    expect(r.findings.size).toBe(200);
    for (const p of pools) {
      expect(f.count(`/${p.userPoolId}/.well-known/openid-configuration`)).toBe(1);
      expect(f.count(`/${p.userPoolId}/.well-known/jwks.json`)).toBe(1);
    }
    expect(f.requests).toHaveLength(40);
    expect(f.maxInFlight()).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
    // Not a terminal: no spinner, no progress lines.
    expect(ctx.errText()).toBe('');
  });

  it('shares a client handed in, and leaves it open', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }] });
    const ctx = context({ CREATIO_SSO_COGNITO_IDP_URL: f.url });
    const http = createHttpClient({ env: ctx.env, timeoutMs: 2000 });
    cleanups.push(() => http.close());
    await runOnlineChecks([item('a.yaml')], ctx, { http });
    const d = await fetchDiscovery(resolved(), http);
    expect(d.document?.token_endpoint).toBe('https://acme-login.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(f.discoveryCount()).toBe(1);
  });

  it('makes no request and no client for no items', async () => {
    const r = await runOnlineChecks([], context({ CREATIO_SSO_COGNITO_IDP_URL: 'http://example.com' }));
    expect(r).toEqual({ findings: new Map(), inconclusive: false });
  });

  it('is a usage error when an override uses http to a host that is not loopback', async () => {
    await expect(runOnlineChecks([item('a.yaml')], context({ CREATIO_SSO_COGNITO_IDP_URL: 'http://cognito.example.com' }))).rejects.toThrow(
      UsageError,
    );
  });
});

describe('fetchDiscovery: what doctor reads', () => {
  it('hands back the endpoints on their canonical hosts (the override stays out of them)', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, shape: 'custom', customDomain: 'auth.acme.com' }] });
    const http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: f.url }, timeoutMs: 2000 });
    cleanups.push(() => http.close());
    const d = await fetchDiscovery(resolved(POOL, 'auth.acme.com'), http);
    expect(d.findings).toEqual([]);
    expect(d.inconclusive).toBe(false);
    expect(d.document).toMatchObject({
      issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`,
      authorization_endpoint: 'https://auth.acme.com/oauth2/authorize',
      token_endpoint: 'https://auth.acme.com/oauth2/token',
      end_session_endpoint: 'https://auth.acme.com/logout',
      jwks_uri: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}/.well-known/jwks.json`,
    });
  });
});

describe('lookupPool: what the wizard learns', () => {
  const look = async (pools: FakePool[], userPoolId: string, extra: Partial<FakeCognitoOptions> = {}) => {
    const f = await fake({ pools, ...extra });
    return lookupPool(userPoolId, userPoolId.slice(0, userPoolId.lastIndexOf('_')), context({ CREATIO_SSO_COGNITO_IDP_URL: f.url }, 500));
  };

  it.each<[string, FakePool, object]>([
    [
      'a prefix domain',
      { userPoolId: POOL, prefix: 'acme-login' },
      { status: 'found', kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com', findings: [] },
    ],
    [
      'the console default prefix',
      { userPoolId: POOL },
      {
        status: 'found',
        kind: 'prefix',
        prefix: 'eu-west-1abcdef123',
        host: 'eu-west-1abcdef123.auth.eu-west-1.amazoncognito.com',
        findings: [],
      },
    ],
    [
      'a custom domain',
      { userPoolId: POOL, shape: 'custom', customDomain: 'auth.acme.com' },
      { status: 'found', kind: 'custom', host: 'auth.acme.com', findings: [] },
    ],
    [
      'a GovCloud prefix domain',
      { userPoolId: 'us-gov-east-1_AbCdEf123', prefix: 'gov' },
      { status: 'found', kind: 'prefix', prefix: 'gov', host: 'gov.auth-fips.us-gov-east-1.amazoncognito.com', findings: [] },
    ],
    [
      'no domain (2024 shape)',
      { userPoolId: POOL, shape: 'no-domain' },
      { status: 'no-domain', message: expect.stringContaining('Branding → Domain'), findings: [] },
    ],
    [
      'no domain (old shape)',
      { userPoolId: POOL, shape: 'no-domain-old' },
      { status: 'no-domain', message: expect.stringContaining('no token endpoint'), findings: [] },
    ],
  ])('%s', async (_name, pool, expected) => {
    expect(await look([pool], pool.userPoolId)).toEqual(expected);
  });

  it('reports an unknown pool', async () => {
    expect(await look([], POOL)).toEqual({ status: 'not-found', message: expect.stringContaining('does not exist') });
  });

  it.each([
    ['a server that never answers', { misbehave: { [POOL]: { discovery: 'hang' as const } } }, 'within 500 ms', {}],
    // Cognito was reached: it answered something else, and the wizard says so.
    ['HTML', { misbehave: { [POOL]: { discovery: 'html' as const } } }, 'HTML page', { answered: true }],
    ['a 500', { misbehave: { [POOL]: { discovery: 'status-500' as const } } }, 'HTTP 500', { answered: true }],
  ])('is unreachable on %s', async (_name, extra, text, answered) => {
    expect(await look([{ userPoolId: POOL }], POOL, extra)).toEqual({
      status: 'unreachable',
      message: expect.stringContaining(text),
      ...answered,
    });
  });
});
