import { afterEach, describe, expect, it } from 'vitest';
import { tokenTrustFor } from '../../src/live/hosted-ui.js';
import { createHttpClient } from '../../src/net/http.js';
import { startFakeCognito, type FakeCognito } from '../support/fake-cognito.js';

/**
 * doctor runs its AWS section beside the live look, so the token probe's trust (§10) may be asked before
 * DescribeUserPool has answered. tokenTrustFor asks for those domains only when the rest does not confirm the
 * domain: they can only add a confirmation. Discovery comes from the loopback Cognito stand-in, through the
 * real HTTP client.
 */
const POOL = 'eu-west-1_AbCdEf123';
const PREFIX_HOST = 'acme-login.auth.eu-west-1.amazoncognito.com';
const target = { userPoolId: POOL, region: 'eu-west-1', domain: { kind: 'prefix' as const, prefix: 'acme-login', host: PREFIX_HOST } };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function cognito(options: Parameters<typeof startFakeCognito>[0]): Promise<FakeCognito> {
  const f = await startFakeCognito(options);
  cleanups.push(() => f.close());
  return f;
}
function http(url: string) {
  const c = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: url }, timeoutMs: 2000 });
  cleanups.push(() => c.close());
  return c;
}
/** DescribeUserPool's domains as doctor hands them over: asked for by a call, answered later (or never). */
function described(answer: () => Promise<readonly string[]>) {
  const asked: number[] = [];
  return { asked, describedDomains: () => (asked.push(1), answer()) };
}
const never = () => new Promise<readonly string[]>(() => {});

describe('the token trust with DescribeUserPool still under way (§10)', () => {
  it('discovery confirms the domain: DescribeUserPool is not waited for, not even asked', async () => {
    const f = await cognito({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }] });
    const d = described(never);
    const trust = await tokenTrustFor(target, { http: http(f.url), describedDomains: d.describedDomains });
    expect(trust).toMatchObject({ confirmed: true, host: PREFIX_HOST, how: expect.stringContaining('discovery document') });
    expect(d.asked).toEqual([]);
  });

  it('discovery cannot confirm it: the domains are awaited, and DescribeUserPool naming it confirms it', async () => {
    const f = await cognito({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }], misbehave: { [POOL]: { discovery: 'status-500' } } });
    const d = described(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return [PREFIX_HOST.toUpperCase()];
    });
    const trust = await tokenTrustFor(target, { http: http(f.url), describedDomains: d.describedDomains });
    expect(trust).toMatchObject({ confirmed: true, host: PREFIX_HOST, how: expect.stringContaining('DescribeUserPool') });
    expect(d.asked).toEqual([1]);
  });

  it('discovery cannot confirm it and DescribeUserPool names another domain: not confirmed', async () => {
    const f = await cognito({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }], misbehave: { [POOL]: { discovery: 'status-500' } } });
    const d = described(async () => ['other.auth.eu-west-1.amazoncognito.com']);
    const trust = await tokenTrustFor(target, { http: http(f.url), describedDomains: d.describedDomains });
    expect(trust).toMatchObject({ confirmed: false, why: expect.stringContaining('could not confirm') });
  });

  it('an AWS section that failed vouches for nothing: not confirmed, no exception', async () => {
    const f = await cognito({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }], misbehave: { [POOL]: { discovery: 'status-500' } } });
    const d = described(() => Promise.reject(new Error('no AWS credentials')));
    const trust = await tokenTrustFor(target, { http: http(f.url), describedDomains: d.describedDomains });
    expect(trust.confirmed).toBe(false);
    expect(d.asked).toEqual([1]);
  });

  it('a custom domain only the file names: not confirmed, whatever DescribeUserPool says', async () => {
    const f = await cognito({ pools: [{ userPoolId: POOL, shape: 'custom', customDomain: 'auth.acme.com' }] });
    const d = described(async () => ['auth.acme.com']);
    const custom = { ...target, domain: { kind: 'custom' as const, host: 'auth.acme.com' } };
    const trust = await tokenTrustFor(custom, { http: http(f.url), describedDomains: d.describedDomains });
    expect(trust).toMatchObject({ confirmed: false, why: expect.stringContaining('only the config file names') });
  });
});
