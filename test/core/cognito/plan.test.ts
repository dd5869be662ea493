import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planCognito, planLines, type CognitoPlanInput } from '../../../src/core/cognito/plan.js';
import { WRITABLE_CLIENT_FIELDS, type AppClientSettings, type CognitoState } from '../../../src/core/cognito/state.js';

const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
const POOL = 'eu-west-1_AbCdEf123';
const input: CognitoPlanInput = {
  userPoolId: POOL,
  callbackUrl: CALLBACK,
  signOutUrl: SIGN_OUT,
  clientId: 'client1',
  domain: { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com' },
};
const good: AppClientSettings = {
  ClientName: 'creatio',
  RefreshTokenValidity: 7,
  TokenValidityUnits: { RefreshToken: 'days' },
  ReadAttributes: ['email', 'phone_number'],
  ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
  CallbackURLs: ['https://other.example.com/cb', CALLBACK],
  LogoutURLs: [SIGN_OUT],
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
  AllowedOAuthFlowsUserPoolClient: true,
  SupportedIdentityProviders: ['COGNITO'],
  EnableTokenRevocation: true,
};
const state = (settings: Partial<AppClientSettings> = {}, extra: Partial<CognitoState> = {}): CognitoState => ({
  userPoolId: POOL,
  prefixDomain: 'acme-login',
  domains: [{ domain: 'acme-login', custom: false, status: 'ACTIVE' }],
  client: { clientId: 'client1', found: true, settings: { ...good, ...settings }, secret: 'match' },
  ...extra,
});

describe('planCognito', () => {
  it('a correct client: nothing pending, no requests', () => {
    const plan = planCognito(input, state());
    expect(plan.pending).toBe(0);
    expect(plan.updateClient).toBeUndefined();
    expect(plan.createDomain).toBeUndefined();
    expect(plan.items.every((i) => i.action === 'same')).toBe(true);
    expect(planLines(plan.items)).toContain('  = AllowedOAuthFlows  code');
  });

  it('adds only what is missing and copies every other writable field (read-modify-write)', () => {
    const plan = planCognito(
      input,
      state({
        CallbackURLs: ['https://other.example.com/cb'],
        LogoutURLs: undefined,
        AllowedOAuthFlows: ['implicit'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
      }),
    );
    expect(plan.pending).toBe(4);
    expect(plan.updateClient).toEqual({
      UserPoolId: POOL,
      ClientId: 'client1',
      ...good,
      CallbackURLs: ['https://other.example.com/cb', CALLBACK],
      LogoutURLs: [SIGN_OUT],
      AllowedOAuthFlows: ['implicit', 'code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'phone'],
    });
    expect(plan.updateClient).not.toHaveProperty('ClientSecret');
    expect(planLines(plan.items)).toEqual(
      expect.arrayContaining([
        `  + CallbackURLs  ${CALLBACK}`,
        `  + LogoutURLs  ${SIGN_OUT}`,
        '  + AllowedOAuthFlows  code',
        '  + AllowedOAuthScopes  phone',
      ]),
    );
  });

  it('turns OAuth on and adds COGNITO when no provider is set', () => {
    const plan = planCognito(input, state({ AllowedOAuthFlowsUserPoolClient: false, SupportedIdentityProviders: [] }));
    expect(planLines(plan.items)).toEqual(
      expect.arrayContaining(['  ~ AllowedOAuthFlowsUserPoolClient  false → true', '  + SupportedIdentityProviders  COGNITO']),
    );
    expect(plan.updateClient).toMatchObject({ AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'] });
  });

  it('keeps other identity providers and does not add COGNITO beside them', () => {
    const plan = planCognito(input, state({ SupportedIdentityProviders: ['Google'] }));
    expect(plan.pending).toBe(0);
  });

  it('copies only the writable fields it read, and never a field the client lacks', () => {
    const plan = planCognito(input, state({ CallbackURLs: [] }));
    const keys = Object.keys(plan.updateClient!).filter((k) => k !== 'UserPoolId' && k !== 'ClientId');
    expect(keys.every((k) => (WRITABLE_CLIENT_FIELDS as readonly string[]).includes(k))).toBe(true);
    expect(plan.updateClient).not.toHaveProperty('AccessTokenValidity');
  });

  it.each<[string, Partial<CognitoState>, CognitoPlanInput['domain'], string, boolean]>([
    ['pool without a domain: create the prefix', { prefixDomain: undefined, domains: [] }, input.domain, '  + Domain  acme-login', true],
    ['the same prefix', {}, input.domain, '  = Domain  acme-login', false],
    ['another prefix: manual', { prefixDomain: 'other' }, input.domain, '  ! Domain  The pool', false],
    ['a custom domain the pool lacks: manual', {}, { kind: 'custom', host: 'auth.acme.com' }, '  ! Domain  Cognito console', false],
    [
      'the custom domain the pool has',
      { customDomain: 'auth.acme.com' },
      { kind: 'custom', host: 'auth.acme.com' },
      '  = Domain  auth.acme.com',
      false,
    ],
  ])('%s', (_name, extra, domain, line, creates) => {
    const plan = planCognito({ ...input, domain }, state({}, extra));
    expect(planLines(plan.items).some((l) => l.startsWith(line))).toBe(true);
    expect(plan.createDomain !== undefined).toBe(creates);
    if (creates) expect(plan.createDomain).toEqual({ UserPoolId: POOL, Domain: 'acme-login' });
  });

  it('a client that does not exist: a finding, no client request', () => {
    const plan = planCognito(input, state({}, { client: { clientId: 'client1', found: false } }));
    expect(plan.findings.map((f) => f.code)).toEqual(['aws/client-not-found']);
    expect(plan.updateClient).toBeUndefined();
  });

  it('no client ID and no --create-client: aws/client-not-found, nothing planned for a client', () => {
    const plan = planCognito({ ...input, clientId: undefined }, state({}, { client: undefined }));
    expect(plan.findings.map((f) => f.code)).toEqual(['aws/client-not-found']);
    expect(plan.items.filter((i) => i.resource === 'UserPoolClient')).toEqual([]);
  });

  it('--create-client: a new client with a secret and every Creatio setting', () => {
    const plan = planCognito({ ...input, clientId: undefined, createClient: true }, state({}, { client: undefined }));
    expect(plan.createClient).toMatchObject({
      UserPoolId: POOL,
      GenerateSecret: true,
      CallbackURLs: [CALLBACK],
      LogoutURLs: [SIGN_OUT],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(plan.items.find((i) => i.field === 'ClientSecret')?.to).toBe('(set)');
    expect(plan.pending).toBeGreaterThan(0);
  });

  it('managed login without branding: plans the branding; with it: nothing', () => {
    const v2 = { domains: [{ domain: 'acme-login', custom: false, status: 'ACTIVE', managedLoginVersion: 2 }] };
    const missing = planCognito(input, state({}, { ...v2, branding: 'absent' }));
    expect(missing.createBranding).toEqual({ UserPoolId: POOL, ClientId: 'client1' });
    expect(planLines(missing.items)).toContain('  + UseCognitoProvidedValues  true');
    const present = planCognito(input, state({}, { ...v2, branding: 'present' }));
    expect(present.createBranding).toBeUndefined();
    expect(present.pending).toBe(0);
  });
});

describe('planCognito properties', () => {
  const url = fc.constantFrom(CALLBACK, SIGN_OUT, 'https://other.example.com/cb', 'https://x.example.com/bye');
  const list = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.uniqueArray(arb, { maxLength: 4 }), { nil: undefined });
  const settings: fc.Arbitrary<AppClientSettings> = fc.record(
    {
      ClientName: fc.string(),
      RefreshTokenValidity: fc.integer({ min: 1, max: 3650 }),
      TokenValidityUnits: fc.record({ RefreshToken: fc.constantFrom('days', 'hours') }),
      ReadAttributes: list(fc.constantFrom('email', 'phone_number', 'locale')),
      ExplicitAuthFlows: list(fc.constantFrom('ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH')),
      CallbackURLs: list(url),
      LogoutURLs: list(url),
      AllowedOAuthFlows: list(fc.constantFrom('code', 'implicit', 'client_credentials')),
      AllowedOAuthScopes: list(fc.constantFrom('openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin')),
      AllowedOAuthFlowsUserPoolClient: fc.boolean(),
      SupportedIdentityProviders: list(fc.constantFrom('COGNITO', 'Google')),
      EnableTokenRevocation: fc.boolean(),
    },
    { requiredKeys: [] },
  );

  it('additive, read-modify-write and idempotent: nothing the client has is dropped, and a second plan finds nothing', () => {
    fc.assert(
      fc.property(settings, (current) => {
        const plan = planCognito(input, state({}, { client: { clientId: 'client1', found: true, settings: current, secret: 'match' } }));
        const update = plan.updateClient;
        if (plan.pending === 0) {
          expect(update).toBeUndefined();
          return;
        }
        expect(update).toBeDefined();
        for (const [field, value] of Object.entries(current)) {
          if (value === undefined) continue;
          const sent = (update as unknown as Record<string, unknown>)[field];
          if (Array.isArray(value)) expect(sent).toEqual(expect.arrayContaining(value));
          else if (field !== 'AllowedOAuthFlowsUserPoolClient') expect(sent).toEqual(value);
        }
        const { UserPoolId: _p, ClientId: _c, ...next } = update!;
        const again = planCognito(input, state({}, { client: { clientId: 'client1', found: true, settings: next, secret: 'match' } }));
        expect(again.pending).toBe(0);
      }),
    );
  });
});
