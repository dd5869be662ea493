import { afterEach, describe, expect, it } from 'vitest';
import type { HostedUiTarget } from '../../src/core/cognito/hosted-ui.js';
import { probeHostedUi, type ProbeOptions } from '../../src/live/hosted-ui.js';
import { createHttpClient } from '../../src/net/http.js';
import { targetOf } from '../../src/net/overrides.js';
import type { HttpClient } from '../../src/net/types.js';
import { TEST_SECRET } from '../support/cli.js';
import { startFakeHostedUi, type FakeAppClient, type FakeHostedUi, type FakeHostedUiOptions } from '../support/fake-hosted-ui.js';

/** The probes' I/O (src/live/hosted-ui.ts) against the loopback hosted UI, through the real HTTP client. */
const T: HostedUiTarget = {
  providerUrl: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12eqe3alr',
  callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
  signOutUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
};
const client = (over: Partial<FakeAppClient> = {}): FakeAppClient => ({
  clientId: T.clientId,
  secret: TEST_SECRET,
  callbackUrls: [T.callbackUrl],
  logoutUrls: [T.signOutUrl],
  scopes: ['openid', 'email', 'phone', 'profile'],
  ...over,
});

let fake: FakeHostedUi | undefined;
let http: (HttpClient & { overrides: { hostedUi?: string } }) | undefined;
afterEach(async () => {
  await http?.close();
  await fake?.close();
  fake = http = undefined;
});

async function probe(clients: FakeAppClient[], over: Partial<ProbeOptions> = {}, answers: Partial<FakeHostedUiOptions> = {}) {
  fake = await startFakeHostedUi({ clients, ...answers });
  http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_HOSTED_UI_URL: fake.url }, timeoutMs: 2000 });
  const lines: string[] = [];
  const h = http;
  const results = await probeHostedUi(T, {
    http: h,
    secret: TEST_SECRET,
    secretFrom: 'the environment variable COGNITO_CLIENT_SECRET',
    targetOf: (url) => targetOf(url, h.overrides),
    random: { state: () => 'st4te', code: () => 'c0de' },
    log: (l) => lines.push(l),
    ...over,
  });
  return { results, lines, requests: fake.requests };
}

describe('probeHostedUi', () => {
  it('a correct app client passes all three probes', async () => {
    const { results, requests } = await probe([client()]);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['authorize', 'pass'],
      ['token', 'pass'],
      ['logout', 'pass'],
    ]);
    expect(requests.find((r) => r.path === '/oauth2/authorize')!.query.get('state')).toBe('st4te');
    expect(new URLSearchParams(requests.find((r) => r.path === '/oauth2/token')!.body).get('code')).toBe('c0de');
  });

  it('the verbose log names every request but never the credentials', async () => {
    const { lines } = await probe([client()]);
    expect(lines.join('\n')).toContain(
      'token: POST https://acme-login.auth.eu-west-1.amazoncognito.com/oauth2/token (HTTP Basic client authentication)',
    );
    expect(lines.join('\n')).not.toContain(TEST_SECRET);
    expect(lines.join('\n')).not.toContain(Buffer.from(`${T.clientId}:${TEST_SECRET}`).toString('base64'));
  });

  it('without a secret, the token probe is skipped and nothing carries credentials', async () => {
    const { results, requests } = await probe([client()], { secret: undefined });
    expect(results.find((r) => r.name === 'token')).toMatchObject({ status: 'skip', summary: 'skipped: no client secret' });
    expect(requests.some((r) => r.headers.authorization !== undefined)).toBe(false);
  });

  it('never sends the secret over plain http to a host that is not loopback', async () => {
    const { results, requests } = await probe([client()], {
      targetOf: (url) => url.replace(/^https:\/\/[^/]+/, 'http://auth.example.com'),
    });
    expect(results.find((r) => r.name === 'token')!.status).toBe('skip');
    expect(requests.some((r) => r.path === '/oauth2/token')).toBe(false);
  });

  it('an unknown client skips token and logout: the secret is not sent, and the sign-out answer not reported', async () => {
    const { results, requests } = await probe([client({ clientId: 'another' })]);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['authorize', 'fail'],
      ['token', 'skip'],
      ['logout', 'skip'],
    ]);
    // Logout left with authorize (one round trip): Cognito refused it too, and that says nothing more.
    expect(requests.map((r) => r.path).sort()).toEqual(['/logout', '/oauth2/authorize']);
    expect(results.flatMap((r) => r.findings.map((f) => f.code))).toEqual(['client/unknown']);
  });

  it('logout leaves with authorize, token only after authorize has answered', async () => {
    const { requests } = await probe([client()], {}, { delayMs: 150 });
    const at = (p: string) => requests.find((r) => r.path === p)!.at;
    expect(Math.abs(at('/logout') - at('/oauth2/authorize'))).toBeLessThan(100);
    expect(at('/oauth2/token') - at('/oauth2/authorize')).toBeGreaterThanOrEqual(140);
  });

  it('reports every refusal at once: callback, secret and sign-out URL', async () => {
    const { results } = await probe([client({ callbackUrls: [], logoutUrls: [], secret: 'y'.repeat(52) })]);
    expect(results.flatMap((r) => r.findings.map((f) => f.code))).toEqual([
      'callback/not-registered',
      'client-secret/rejected',
      'logout/not-registered',
    ]);
  });
});
