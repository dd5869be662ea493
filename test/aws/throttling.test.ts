import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectCognito, type CognitoHalfInput } from '../../src/aws/half.js';
import { isInconclusive } from '../../src/live/inconclusive.js';
import { useMoto } from '../support/moto.js';
import { startThrottle, type ThrottleStandIn } from '../support/moto-throttle.js';

/**
 * §11, §17: Cognito's rate limits are the normal case with many environments. The stand-in over moto
 * (test/support/moto-throttle.ts) answers TooManyRequestsException beyond its buckets; the client retries
 * adaptively, and only when the retries run out is it `aws/throttled` — inconclusive (exit 3), never
 * `aws/unreachable`, never a failure of the configuration.
 */
const REGION = 'eu-west-1';
const SECRET = 'Sx7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn4Pq6Rs8Tu1Vw';
const open: ThrottleStandIn[] = [];

const aws = useMoto(REGION);

afterAll(async () => {
  for (const t of open) await t.close();
});

async function pool(): Promise<{ userPoolId: string; clientId: string }> {
  const created = await aws.admin.send(new sdk.CreateUserPoolCommand({ PoolName: 'acme' }));
  const userPoolId = created.UserPool!.Id!;
  await aws.admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: 'acme-login' }));
  const client = await aws.admin.send(
    new sdk.CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'creatio', GenerateSecret: true, ClientSecret: SECRET }),
  );
  return { userPoolId, clientId: client.UserPoolClient!.ClientId! };
}

const input = (endpoint: string, userPoolId: string, clientId: string): CognitoHalfInput => ({
  env: { ...aws.moto.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint },
  region: REGION,
  timeoutMs: 5000,
  // The stand-in's clock runs 20 times as fast as the real one; the back-off keeps pace.
  retryDelayScale: 0.05,
  userPoolId,
  clientId,
  clientSecret: SECRET,
  callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
  signOutUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
});

describe('the rate-limit stand-in on its own', () => {
  const call = (url: string, op: string, userPoolId: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': `AWSCognitoIdentityProviderService.${op}`, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ UserPoolId: userPoolId }),
    }).then(async (r) => ({ status: r.status, type: ((await r.json()) as { __type?: string }).__type }));

  it('a bucket per pool × operation (5) and per category (15), refilled every second, burst of one second', async () => {
    let t = 0;
    const s = await startThrottle(aws.moto.endpoint, { now: () => t });
    open.push(s);
    const samePool = [];
    for (let i = 0; i < 6; i++) samePool.push(await call(s.url, 'DescribeUserPool', 'eu-west-1_pool0'));
    expect(samePool.slice(0, 5).every((r) => r.type !== 'TooManyRequestsException')).toBe(true);
    expect(samePool[5]).toEqual({ status: 400, type: 'TooManyRequestsException' });
    // The category (UserPoolRead, shared with DescribeUserPoolDomain): 5 used + 1 refused; 10 more on other pools pass, then none.
    const others = [];
    for (let i = 1; i <= 11; i++) others.push(await call(s.url, 'DescribeUserPoolDomain', `eu-west-1_pool${i}`));
    expect(others.filter((r) => r.type === 'TooManyRequestsException')).toHaveLength(1);
    // Another category has its own bucket.
    expect((await call(s.url, 'DescribeUserPoolClient', 'eu-west-1_pool0')).type).not.toBe('TooManyRequestsException');
    // A second later the buckets are full again, and no fuller than one second's worth.
    t = 1000;
    const again = [];
    for (let i = 0; i < 6; i++) again.push(await call(s.url, 'DescribeUserPool', 'eu-west-1_pool0'));
    expect(again.filter((r) => r.type === 'TooManyRequestsException')).toHaveLength(1);
    expect(s.throttledCount()).toBe(3);
  });

  it('an operation outside the table is not limited', async () => {
    const s = await startThrottle(aws.moto.endpoint, { perCategory: 0, perPoolOperation: 0, now: () => 0 });
    open.push(s);
    expect((await call(s.url, 'ListUsers', 'eu-west-1_x')).type).not.toBe('TooManyRequestsException');
  });
});

describe('the client under Cognito-like limits', () => {
  it('limits the client cannot know (1 per pool × operation): the adaptive retries get through, no finding', async () => {
    const { userPoolId, clientId } = await pool();
    const s = await startThrottle(aws.moto.endpoint, { perCategory: 2, perPoolOperation: 1, timeScale: 20 });
    open.push(s);
    // Several reads at once, as many environments in one job would make.
    const halves = await Promise.all([1, 2, 3, 4].map(() => inspectCognito(input(s.url, userPoolId, clientId))));
    expect(s.throttledCount()).toBeGreaterThan(0);
    for (const half of halves) {
      expect(half.status).toBe('checked');
      expect(half.findings.map((f) => f.code)).not.toContain('aws/throttled');
    }
  });

  it('a limit that never lets a call through: aws/throttled after the retries, inconclusive, never aws/unreachable', async () => {
    const { userPoolId, clientId } = await pool();
    const s = await startThrottle(aws.moto.endpoint, { perCategory: 0, timeScale: 20 });
    open.push(s);
    const half = await inspectCognito(input(s.url, userPoolId, clientId));
    expect(half.status).toBe('stopped');
    const f = half.findings.find((x) => x.code === 'aws/throttled');
    expect(f).toBeDefined();
    expect(isInconclusive(f!)).toBe(true);
    expect(f!.message).toMatch(/DescribeUserPool \(6 attempts\)/);
    expect(f!.message).toContain('Try again later');
    expect(half.findings.map((x) => x.code)).not.toContain('aws/unreachable');
    expect(s.log.filter((l) => l.op === 'DescribeUserPool')).toHaveLength(6);
  });
});
