import { describe, expect, it } from 'vitest';
import { auditCognito, type AwsAuditInput } from '../../../src/core/cognito/audit.js';
import type { AppClientSettings, CognitoState } from '../../../src/core/cognito/state.js';
import { sameSecret } from '../../../src/aws/secret.js';
import fc from 'fast-check';

const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
const input: AwsAuditInput = {
  callbackUrl: CALLBACK,
  signOutUrl: SIGN_OUT,
  clientId: 'client1',
  domain: { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com' },
  jit: { employees: true, claims: { phone_number: 'Contact:MobilePhone' } },
};
const good: AppClientSettings = {
  CallbackURLs: ['https://other.example.com/cb', CALLBACK],
  LogoutURLs: [SIGN_OUT],
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
  AllowedOAuthFlowsUserPoolClient: true,
  SupportedIdentityProviders: ['COGNITO'],
};
const stateWith = (
  settings: Partial<AppClientSettings>,
  extra: Partial<CognitoState> = {},
  secret: 'match' | 'mismatch' | 'none' | 'present' = 'match',
): CognitoState => ({
  userPoolId: 'eu-west-1_AbCdEf123',
  prefixDomain: 'acme-login',
  domains: [{ domain: 'acme-login', custom: false, status: 'ACTIVE', managedLoginVersion: 1 }],
  client: { clientId: 'client1', found: true, settings: { ...good, ...settings }, secret },
  ...extra,
});
const codes = (state: CognitoState, i: AwsAuditInput = input) => auditCognito(i, state).map((f) => f.code);

describe('auditCognito', () => {
  it.each<[string, CognitoState, string[]]>([
    ['a correct client', stateWith({}), []],
    ['the callback missing', stateWith({ CallbackURLs: ['https://other.example.com/cb'] }), ['aws/callback-missing']],
    ['a callback with a trailing slash (exact match)', stateWith({ CallbackURLs: [`${CALLBACK}/`] }), ['aws/callback-missing']],
    ['no CallbackURLs at all', stateWith({ CallbackURLs: undefined }), ['aws/callback-missing']],
    ['the sign-out URL missing', stateWith({ LogoutURLs: [] }), ['aws/logout-missing']],
    ['no code flow', stateWith({ AllowedOAuthFlows: ['implicit'] }), ['aws/flow-missing']],
    ['OAuth off for the client', stateWith({ AllowedOAuthFlowsUserPoolClient: false }), ['aws/flow-missing']],
    ['a scope missing', stateWith({ AllowedOAuthScopes: ['openid', 'email', 'profile'] }), ['aws/scope-missing']],
    ['no identity provider', stateWith({ SupportedIdentityProviders: [] }), ['aws/no-identity-provider']],
    ['no secret', stateWith({}, {}, 'none'), ['aws/no-secret']],
    ['a wrong secret', stateWith({}, {}, 'mismatch'), ['aws/secret-mismatch']],
    ['a secret not configured (not compared)', stateWith({}, {}, 'present'), []],
    ['ReadAttributes absent: all readable', stateWith({ ReadAttributes: undefined }), []],
    ['ReadAttributes with both', stateWith({ ReadAttributes: ['email', 'phone_number'] }), []],
    ['a mapped claim not readable', stateWith({ ReadAttributes: ['email'] }), ['aws/attribute-not-readable']],
    ['email not readable with JIT on', stateWith({ ReadAttributes: ['phone_number'] }), ['aws/attribute-not-readable']],
    [
      'the domain still creating',
      stateWith({}, { domains: [{ domain: 'acme-login', custom: false, status: 'CREATING' }] }),
      ['aws/domain-not-active'],
    ],
    [
      'managed login without branding',
      stateWith({}, { domains: [{ domain: 'acme-login', custom: false, status: 'ACTIVE', managedLoginVersion: 2 }], branding: 'absent' }),
      ['aws/no-branding'],
    ],
    [
      'managed login with branding',
      stateWith({}, { domains: [{ domain: 'acme-login', custom: false, status: 'ACTIVE', managedLoginVersion: 2 }], branding: 'present' }),
      [],
    ],
    ['classic hosted UI needs no branding', stateWith({}, { branding: 'absent' }), []],
    [
      'no such client',
      { userPoolId: 'eu-west-1_AbCdEf123', domains: [], client: { clientId: 'client1', found: false } },
      ['aws/client-not-found'],
    ],
    [
      'everything wrong at once',
      stateWith(
        { CallbackURLs: [], LogoutURLs: [], AllowedOAuthFlows: [], AllowedOAuthScopes: ['openid'], SupportedIdentityProviders: [] },
        {},
        'mismatch',
      ),
      [
        'aws/secret-mismatch',
        'aws/callback-missing',
        'aws/logout-missing',
        'aws/flow-missing',
        'aws/scope-missing',
        'aws/no-identity-provider',
      ],
    ],
  ])('%s', (_name, state, expected) => {
    expect(codes(state)).toEqual(expected);
  });

  it('the attribute finding names the claim and its config path', () => {
    const [f] = auditCognito(input, stateWith({ ReadAttributes: ['email'] }));
    expect(f!.path).toBe('jit.claims.phone_number');
    expect(f!.message).toContain('phone_number');
  });

  it('JIT off: email need not be readable', () => {
    expect(
      codes(stateWith({ ReadAttributes: ['phone_number'] }), {
        ...input,
        jit: { employees: false, claims: { phone_number: 'Contact:MobilePhone' } },
      }),
    ).toEqual([]);
  });

  it('names the missing scopes and the callback URL', () => {
    const messages = auditCognito(input, stateWith({ AllowedOAuthScopes: ['openid', 'profile'], CallbackURLs: [] }))
      .map((f) => f.message)
      .join('\n');
    expect(messages).toContain('email, phone');
    expect(messages).toContain(CALLBACK);
  });
});

describe('sameSecret', () => {
  it.each([
    ['abcdefghijklmnopqrstuvwxyz0123', 'abcdefghijklmnopqrstuvwxyz0123', true],
    ['abcdefghijklmnopqrstuvwxyz0123', 'abcdefghijklmnopqrstuvwxyz0124', false],
    ['abc', 'abcdef', false],
    ['abcdef', 'abc', false],
    ['abc\u0000', 'abc', false],
    ['', '', true],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(sameSecret(a, b)).toBe(expected);
  });
});

describe('auditCognito properties', () => {
  it('any client settings give findings, never a crash', () => {
    const strings = fc.option(fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record(
          {
            CallbackURLs: strings,
            LogoutURLs: strings,
            AllowedOAuthFlows: strings,
            AllowedOAuthScopes: strings,
            SupportedIdentityProviders: strings,
            AllowedOAuthFlowsUserPoolClient: fc.boolean(),
            ReadAttributes: strings,
          },
          { requiredKeys: [] },
        ),
        (settings) => {
          const findings = auditCognito(input, {
            userPoolId: 'eu-west-1_AbCdEf123',
            domains: [],
            client: { clientId: 'client1', found: true, settings, secret: 'match' },
          });
          for (const f of findings) expect(f.code).toMatch(/^aws\//);
        },
      ),
    );
  });
});
