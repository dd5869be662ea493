import { describe, expect, it } from 'vitest';
import {
  checkClaimTarget,
  checkClientId,
  checkClientSecretRef,
  checkClientSecretValue,
  checkConfig,
  checkCreatioUrl,
  checkDeployment,
  checkDisplayName,
  checkDomain,
  checkRegion,
  checkUserPoolId,
  likelyDeployment,
} from '../../src/core/config/checks.js';
import type { Finding } from '../../src/core/findings.js';
import { ConfigSchema } from '../../src/core/config/schema.js';

const codes = (fs: Finding[]) => fs.map((f) => `${f.code}:${f.severity}`);

describe('offline checks, one field at a time', () => {
  it.each([
    ['https://acme.creatio.com', []],
    ['https://acme.creatio.com/0/Shell/#Section', ['creatio-url/normalized:warning']],
    ['http://acme.creatio.com', ['creatio-url/insecure:error']],
    ['http://localhost:5000', []],
    ['http://127.0.0.1:5000', []],
    ['http://[::1]:5000', []],
    ['acme.creatio.com', ['creatio-url/normalized:warning']],
    ['not a url', ['creatio-url/invalid:error']],
  ])('creatio url %j', (input, expected) => expect(codes(checkCreatioUrl(input).findings)).toEqual(expected));

  it.each([
    ['eu-west-1_AbCdEf123', []],
    ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123', []],
    ['https://cognito-idp.us-east-1.amazonaws.com/eu-west-1_AbCdEf123', ['region/mismatch:error']],
    ['eu-west-1_AbCdEf12', ['user-pool-id/unusual:warning']],
    ['my_pool1', ['user-pool-id/unusual:warning']],
    ['eu-west-1-AbCdEf123', ['user-pool-id/invalid:error']],
    ['eu-west-1_AbC!f123', ['user-pool-id/invalid:error']],
    [`eu-west-1_${'a'.repeat(50)}`, ['user-pool-id/invalid:error']],
    ['', ['user-pool-id/invalid:error']],
  ])('user pool id %j', (input, expected) => expect(codes(checkUserPoolId(input).findings)).toEqual(expected));

  it.each([
    [undefined, 'eu-west-1_AbCdEf123', 'eu-west-1', []],
    ['eu-west-1', 'eu-west-1_AbCdEf123', 'eu-west-1', []],
    ['us-east-1', 'eu-west-1_AbCdEf123', 'us-east-1', ['region/mismatch:error']],
    ['moon-1', 'eu-west-1_AbCdEf123', undefined, ['region/unknown:error']],
    ['cn-north-1', undefined, 'cn-north-1', ['region/unknown:warning']],
    ['eu-west-9', 'eu-west-9_AbCdEf123', 'eu-west-9', ['region/unknown:warning']],
    [undefined, 'my_pool1', undefined, ['region/unknown:error']],
    ['us-gov-west-1', 'us-gov-west-1_AbCdEf123', 'us-gov-west-1', []],
  ])('region %j with pool %j', (region, pool, value, expected) => {
    const r = checkRegion(region, pool);
    expect(r.value).toBe(value);
    expect(codes(r.findings)).toEqual(expected);
  });

  it('reports a derived region problem on the pool ID, a configured one on the region', () => {
    expect(checkRegion(undefined, 'my_pool1').findings[0]!.path).toBe('cognito.userPoolId');
    expect(checkRegion('moon', 'eu-west-1_AbCdEf123').findings[0]!.path).toBe('cognito.region');
  });

  it.each([
    ['acme-login', []],
    ['auth.acme.com', []],
    ['eu-west-1_AbCdEf123', ['domain/is-user-pool-id:error']],
    ['myawslogin', ['domain/reserved-word:error']],
    ['awesome-login', []],
    ['Acme_Login', ['domain/invalid:error']],
    ['xn--0', ['domain/invalid:error']],
    ['xn--bcher-kva', []],
    ['https://acme.auth.us-east-1.amazoncognito.com', ['region/mismatch:error']],
    ['cognito-idp.eu-west-1.amazonaws.com', ['domain/invalid:error']],
  ])('domain %j', (input, expected) => expect(codes(checkDomain(input, 'eu-west-1', 'eu-west-1_AbCdEf123').findings)).toEqual(expected));

  it('knows an unusual pool ID used as the domain', () => {
    expect(codes(checkDomain('my_pool1', 'eu-west-1', 'my_pool1').findings)).toEqual(['domain/is-user-pool-id:error']);
  });

  it('names the likely prefix when the domain is the pool ID', () => {
    const [f] = checkDomain('us-west-2_X6GuUpcF1', 'us-west-2', 'us-west-2_X6GuUpcF1').findings;
    expect(f!.message).toContain('us-west-2x6guupcf1');
  });

  it.each([
    ['1h57kf5cpq17m0eml12eqe3alr', []],
    ['1h57kf5cpq17m0eml12eqe3al', []],
    ['1H57KF5CPQ17M0EML12EQE3ALR', ['client-id/unusual:warning']],
    ['short', ['client-id/unusual:warning']],
    ['has space', ['client-id/invalid:error']],
    ['a'.repeat(129), ['client-id/invalid:error']],
  ])('client id %j', (input, expected) => expect(codes(checkClientId(input).findings)).toEqual(expected));

  it.each([
    ['${env:COGNITO_CLIENT_SECRET}', []],
    ['${env:X}', []],
    ['k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w', ['client-secret/plaintext:warning']],
    ['tooshort', ['client-secret/invalid:error']],
    ['${COGNITO_CLIENT_SECRET}', ['client-secret/invalid:error']],
    ['$COGNITO_CLIENT_SECRET', ['client-secret/invalid:error']],
  ])('client secret %j', (input, expected) => expect(codes(checkClientSecretRef(input).findings)).toEqual(expected));

  it('never repeats a secret value in its message', () => {
    const value = 'abc-def-ghi-jkl-mno-pqr-stu-vwx';
    const [f] = checkClientSecretValue(value);
    expect(f!.code).toBe('client-secret/invalid');
    expect(f!.message).not.toContain(value);
    expect(f!.message).not.toContain('abc-def');
  });

  it('suggests ${env:NAME} for a shell-style reference', () => {
    expect(checkClientSecretRef('${COGNITO_CLIENT_SECRET}').findings[0]!.message).toContain('${env:NAME}');
  });

  it.each([
    ['phone_number', 'Contact:MobilePhone', []],
    ['locale', 'SysAdminUnit:SysCulture', []],
    ['email', 'Contact:Email', []],
    ['email', 'Account:Email', ['jit/claim-target-invalid:error']],
    ['email', 'Contact:', ['jit/claim-target-invalid:error']],
    ['email', 'MobilePhone', ['jit/claim-target-invalid:error']],
  ])('claim %s → %s', (claim, target, expected) => expect(codes(checkClaimTarget(claim, target))).toEqual(expected));
});

describe('checkConfig', () => {
  const base = {
    version: 1,
    creatio: { url: 'https://acme.creatio.com' },
    cognito: { userPoolId: 'eu-west-1_AbCdEf123', domain: 'acme-login', clientId: '1h57kf5cpq17m0eml12eqe3alr', clientSecret: '${env:S}' },
  };

  it('resolves a minimal config with defaults and derived URLs', () => {
    const r = checkConfig(ConfigSchema.parse(base));
    expect(r.findings).toEqual([]);
    expect(r.resolved).toMatchObject({
      deployment: 'cloud',
      region: 'eu-west-1',
      displayName: 'Cognito AWS',
      isDefault: false,
      jit: { employees: false, externalUsers: false, claims: [] },
      mobileUseSso: false,
      clientSecret: { kind: 'env', name: 'S' },
    });
    expect(r.resolved!.urls).toEqual({
      providerUrl: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
      discoveryUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
      endSessionEndpoint:
        'https://acme-login.auth.eu-west-1.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
      signOutUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
    });
  });

  it('reports every problem at once, each with its path, and resolves nothing', () => {
    const r = checkConfig(
      ConfigSchema.parse({
        ...base,
        creatio: { url: 'http://acme.creatio.com/0/Shell' },
        cognito: {
          userPoolId: 'eu-west-1_AbCdEf123',
          region: 'us-east-1',
          domain: 'eu-west-1_AbCdEf123',
          clientId: 'bad id',
          clientSecret: 'x',
        },
        jit: { claims: { email: 'Account:Email' } },
      }),
    );
    expect(r.resolved).toBeUndefined();
    expect(r.findings.map((f) => [f.code, f.path])).toEqual([
      ['creatio-url/insecure', 'creatio.url'],
      ['creatio-url/normalized', 'creatio.url'],
      ['region/mismatch', 'cognito.region'],
      ['domain/is-user-pool-id', 'cognito.domain'],
      ['client-id/invalid', 'cognito.clientId'],
      ['client-secret/invalid', 'cognito.clientSecret'],
      ['jit/claim-target-invalid', 'jit.claims.email'],
    ]);
  });

  it('builds custom-domain URLs and keeps an application path', () => {
    const r = checkConfig(
      ConfigSchema.parse({
        ...base,
        creatio: { url: 'https://crm.example.org/Demo_1/' },
        cognito: { ...base.cognito, domain: 'auth.example.org' },
      }),
    );
    expect(r.resolved!.urls.providerUrl).toBe('https://auth.example.org');
    expect(r.resolved!.urls.callbackUrl).toBe('https://crm.example.org/Demo_1/ServiceModel/AuthService.svc/OpenIdCallback');
    expect(r.findings.map((f) => f.code)).toEqual(['creatio-url/normalized']);
  });
});

describe('the deployment and the display name (the wizard asks for both)', () => {
  it.each([
    ['cloud', 'cloud'],
    [' On-Site ', 'on-site'],
    ['onsite', undefined],
    ['', undefined],
  ])('checkDeployment(%j) → %s', (raw, value) => {
    const c = checkDeployment(raw);
    expect(c.value).toBe(value);
    expect(c.findings.map((f) => f.code)).toEqual(value ? [] : ['config/schema']);
  });

  it.each([
    ['Cognito AWS', 'Cognito AWS'],
    ['  Sign in  ', 'Sign in'],
    ['   ', undefined],
  ])('checkDisplayName(%j) → %s', (raw, value) => {
    expect(checkDisplayName(raw).value).toBe(value);
  });

  it.each([
    ['https://acme.creatio.com', 'cloud'],
    ['https://creatio.com', 'cloud'],
    ['https://crm.acme.example', 'on-site'],
    ['https://acme.creatio.com.evil.example', 'on-site'],
    ['not a url', 'cloud'],
  ])('likelyDeployment(%j) → %s', (url, expected) => {
    expect(likelyDeployment(url)).toBe(expected);
  });
});
