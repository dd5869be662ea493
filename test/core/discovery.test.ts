import { describe, expect, it } from 'vitest';
import {
  judgeDiscovery,
  judgeDiscoveryAnswer,
  parseJsonAnswer,
  poolDomainOfHost,
  type DiscoveryExpectation,
} from '../../src/core/cognito/discovery.js';
import { judgeJwks, judgeJwksAnswer } from '../../src/core/cognito/jwks.js';
import { discoveryDocumentOf, jwksOf, type FakePool } from '../support/fake-cognito.js';

const POOL = 'eu-west-1_AbCdEf123';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const PREFIX_HOST = 'acme-login.auth.eu-west-1.amazoncognito.com';

const expect_ = (domainHost?: string): DiscoveryExpectation => ({
  userPoolId: POOL,
  region: 'eu-west-1',
  issuer: ISSUER,
  discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
  ...(domainHost ? { domainHost } : {}),
});
const doc = (pool: Partial<FakePool> = {}, patch: Record<string, unknown> = {}): Record<string, unknown> => {
  const d = { ...discoveryDocumentOf({ userPoolId: POOL, prefix: 'acme-login', ...pool }), ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete d[k];
  return d;
};
/** `''`: no configured domain (the wizard's lookup). */
const codes = (json: unknown, domainHost = PREFIX_HOST) =>
  judgeDiscovery(json, expect_(domainHost || undefined)).findings.map((f) => f.code);
const json = (status: number, value: unknown, contentType = 'application/json;charset=UTF-8') => ({
  status,
  headers: { 'content-type': contentType },
  body: typeof value === 'string' ? value : JSON.stringify(value),
});

describe('judgeDiscovery: documents as Cognito publishes them', () => {
  it.each<[string, unknown, string, string[]]>([
    ['prefix domain, configured right', doc(), PREFIX_HOST, []],
    ['custom domain, configured right', doc({ shape: 'custom', customDomain: 'auth.acme.com' }), 'auth.acme.com', []],
    ['custom domain, host compared case-insensitively', doc({ shape: 'custom', customDomain: 'auth.acme.com' }), 'Auth.Acme.com', []],
    ['pre-2024: no end_session_endpoint, a warning only', doc({ shape: 'pre-2024' }), PREFIX_HOST, ['discovery/no-end-session']],
    ['no domain, 2024 shape: one finding', doc({ shape: 'no-domain' }), PREFIX_HOST, ['discovery/no-hosted-ui-domain']],
    [
      'no domain, old shape (authorization = issuer, no token): one finding',
      doc({ shape: 'no-domain-old' }),
      PREFIX_HOST,
      ['discovery/no-hosted-ui-domain'],
    ],
    [
      'no domain, empty endpoint strings: one finding',
      doc({ shape: 'no-domain' }, { authorization_endpoint: '', token_endpoint: '', userinfo_endpoint: '' }),
      PREFIX_HOST,
      ['discovery/no-hosted-ui-domain'],
    ],
    ['no token endpoint on a domain host', doc({}, { token_endpoint: undefined }), PREFIX_HOST, ['discovery/no-hosted-ui-domain']],
    ['prefix configured, pool has another prefix', doc({ prefix: 'other' }), PREFIX_HOST, ['discovery/domain-mismatch']],
    [
      'prefix configured, pool has a custom domain',
      doc({ shape: 'custom', customDomain: 'auth.acme.com' }),
      PREFIX_HOST,
      ['discovery/domain-mismatch'],
    ],
    ['lookup: no configured domain, nothing compared', doc({ prefix: 'other' }), '', []],
    [
      'issuer of another pool',
      doc({}, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1234' }),
      PREFIX_HOST,
      ['discovery/issuer-mismatch'],
    ],
    [
      'issuer of another region',
      doc({}, { issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-1_AbCdEf123' }),
      PREFIX_HOST,
      ['discovery/issuer-mismatch'],
    ],
    ['a missing required field', doc({}, { jwks_uri: undefined }), PREFIX_HOST, ['discovery/missing-field']],
    [
      'several missing fields: one finding',
      doc({}, { issuer: undefined, subject_types_supported: undefined, id_token_signing_alg_values_supported: 'RS256' }),
      PREFIX_HOST,
      ['discovery/missing-field'],
    ],
    ['a scope missing', doc({}, { scopes_supported: ['openid', 'email'] }), PREFIX_HOST, ['discovery/scope-missing']],
    ['no code flow', doc({}, { response_types_supported: ['token'] }), PREFIX_HOST, ['discovery/code-flow-unsupported']],
    ['an http endpoint', doc({}, { token_endpoint: `http://${PREFIX_HOST}/oauth2/token` }), PREFIX_HOST, ['discovery/not-https']],
    ['an endpoint that is not a URL', doc({}, { userinfo_endpoint: 'userInfo' }), PREFIX_HOST, ['discovery/invalid']],
    ['not an object', ['issuer'], PREFIX_HOST, ['discovery/invalid']],
    ['null', null, PREFIX_HOST, ['discovery/invalid']],
  ])('%s', (_name, document, domainHost, expected) => {
    expect(codes(document, domainHost)).toEqual(expected);
  });

  it('accepts a GovCloud pool with its auth-fips prefix domain', () => {
    const pool = 'us-gov-west-1_AbCdEf123';
    const issuer = `https://cognito-idp.us-gov-west-1.amazonaws.com/${pool}`;
    const r = judgeDiscovery(discoveryDocumentOf({ userPoolId: pool, prefix: 'gov' }), {
      userPoolId: pool,
      region: 'us-gov-west-1',
      issuer,
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      domainHost: 'gov.auth-fips.us-gov-west-1.amazoncognito.com',
    });
    expect(r.findings).toEqual([]);
    expect(r.poolDomain).toEqual({ kind: 'prefix', host: 'gov.auth-fips.us-gov-west-1.amazoncognito.com', prefix: 'gov' });
  });

  it('names the real prefix and says to set cognito.domain to it', () => {
    const [f] = judgeDiscovery(doc({ prefix: 'acme-real' }), expect_(PREFIX_HOST)).findings;
    expect(f).toMatchObject({ code: 'discovery/domain-mismatch', severity: 'error', path: 'cognito.domain' });
    expect(f!.message).toContain('acme-real.auth.eu-west-1.amazoncognito.com');
    expect(f!.message).toContain('Set cognito.domain: acme-real');
  });

  it('names a custom domain as the value to write', () => {
    const [f] = judgeDiscovery(doc({ shape: 'custom', customDomain: 'login.acme.com' }), expect_('auth.acme.com')).findings;
    expect(f).toMatchObject({ code: 'discovery/domain-mismatch', severity: 'error' });
    expect(f!.message).toContain('Set cognito.domain: login.acme.com');
  });

  it('only warns when a prefix is configured and the document shows a custom domain (a pool can have both)', () => {
    const [f] = judgeDiscovery(doc({ shape: 'custom', customDomain: 'login.acme.com' }), expect_(PREFIX_HOST)).findings;
    expect(f).toMatchObject({ code: 'discovery/domain-mismatch', severity: 'warning' });
    expect(f!.message).toContain('login.acme.com');
    expect(f!.message).toContain('doctor');
  });

  it('is an error when a custom domain is configured and the pool has only a prefix domain', () => {
    const [f] = judgeDiscovery(doc({ prefix: 'acme-login' }), expect_('auth.acme.com')).findings;
    expect(f).toMatchObject({ code: 'discovery/domain-mismatch', severity: 'error' });
    expect(f!.message).toContain('Set cognito.domain: acme-login');
  });

  it('says where to add a domain in the Cognito console', () => {
    const [f] = judgeDiscovery(doc({ shape: 'no-domain' }), expect_(PREFIX_HOST)).findings;
    expect(f).toMatchObject({ code: 'discovery/no-hosted-ui-domain', severity: 'error', path: 'cognito.domain' });
    expect(f!.message).toContain('Branding → Domain');
    expect(f!.message).toContain('App integration → Domain');
    expect(f!.message).toContain('set cognito.domain');
  });

  it('keeps an issuer mismatch next to a missing domain (two causes)', () => {
    expect(codes(doc({ shape: 'no-domain' }, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/x_Y' }))).toEqual([
      'discovery/issuer-mismatch',
      'discovery/no-hosted-ui-domain',
    ]);
  });

  it('rates a document without end_session_endpoint a warning', () => {
    const [f] = judgeDiscovery(doc({ shape: 'pre-2024' }), expect_(PREFIX_HOST)).findings;
    expect(f!.severity).toBe('warning');
  });

  it('hands back the endpoints doctor needs, on the canonical hosts', () => {
    const r = judgeDiscovery(doc(), expect_(PREFIX_HOST));
    expect(r.document).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `https://${PREFIX_HOST}/oauth2/authorize`,
      token_endpoint: `https://${PREFIX_HOST}/oauth2/token`,
      end_session_endpoint: `https://${PREFIX_HOST}/logout`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
    });
    expect(r.poolDomain).toEqual({ kind: 'prefix', host: PREFIX_HOST, prefix: 'acme-login' });
  });

  it('lists every missing field in one message', () => {
    const [f] = judgeDiscovery(
      doc({}, { token_endpoint: 'x', jwks_uri: undefined, response_types_supported: 'code' }),
      expect_(PREFIX_HOST),
    ).findings;
    expect(f!.message).toContain('jwks_uri');
    expect(f!.message).toContain('response_types_supported (not a list of strings)');
  });
});

describe('judgeDiscoveryAnswer: HTTP answers', () => {
  it.each<[string, { status: number; headers: Record<string, string>; body: string }, string[]]>([
    [
      'unknown pool, 400',
      json(400, { code: 'ResourceNotFoundException', message: `User pool ${POOL} does not exist.` }),
      ['discovery/pool-not-found'],
    ],
    ['unknown pool, 404', json(404, { message: `User pool ${POOL} does not exist.` }), ['discovery/pool-not-found']],
    ['500: try again later', json(500, { message: 'Internal' }), ['discovery/unreachable']],
    ['429: try again later', json(429, { message: 'Rate exceeded' }), ['discovery/unreachable']],
    ['403 without a body', { status: 403, headers: {}, body: '' }, ['discovery/http-error']],
    ['redirect', { status: 302, headers: { location: 'https://elsewhere.example/' }, body: '' }, ['discovery/http-error']],
    ['HTML instead of JSON', json(200, '<!DOCTYPE html><html></html>', 'text/html'), ['discovery/invalid']],
    ['empty body', json(200, ''), ['discovery/invalid']],
    ['a good document', json(200, doc()), []],
  ])('%s', (_name, answer, expected) => {
    expect(judgeDiscoveryAnswer(answer, expect_(PREFIX_HOST)).findings.map((f) => f.code)).toEqual(expected);
  });

  it('quotes Cognito on an unknown pool and points at the pool ID', () => {
    const [f] = judgeDiscoveryAnswer(json(400, { message: `User pool ${POOL} does not exist.` }), expect_(PREFIX_HOST)).findings;
    expect(f).toMatchObject({ path: 'cognito.userPoolId' });
    expect(f!.message).toContain(`User pool ${POOL} does not exist.`);
    expect(f!.message).toContain('eu-west-1');
  });

  it('names the redirect it did not follow', () => {
    const [f] = judgeDiscoveryAnswer(
      { status: 302, headers: { location: 'https://portal.example/login' }, body: '' },
      expect_(PREFIX_HOST),
    ).findings;
    expect(f!.message).toContain('https://portal.example/login');
    expect(f!.message).toContain('not followed');
  });

  it('says an HTML page came instead of JSON', () => {
    expect(parseJsonAnswer(json(200, '<html>hi</html>', 'text/html; charset=utf-8'))).toEqual({
      ok: false,
      why: expect.stringContaining('HTML page (text/html)'),
    });
  });
});

describe('poolDomainOfHost', () => {
  it.each([
    [
      'acme-login.auth.eu-west-1.amazoncognito.com',
      { kind: 'prefix', host: 'acme-login.auth.eu-west-1.amazoncognito.com', prefix: 'acme-login' },
    ],
    [
      'gov.auth-fips.us-gov-west-1.amazoncognito.com',
      { kind: 'prefix', host: 'gov.auth-fips.us-gov-west-1.amazoncognito.com', prefix: 'gov' },
    ],
    ['Auth.Acme.com', { kind: 'custom', host: 'auth.acme.com' }],
  ])('%s', (host, expected) => expect(poolDomainOfHost(host)).toEqual(expected));
});

describe('judgeJwks', () => {
  const URL_ = `${ISSUER}/.well-known/jwks.json`;
  const good = jwksOf({ userPoolId: POOL });
  const rsa = good.keys[0]!;
  it.each<[string, unknown, string[]]>([
    ['Cognito: two RSA keys, RS256, sig', good, []],
    ['keys without alg and use still verify RS256', { keys: [{ kty: 'RSA', kid: 'a', n: rsa.n, e: 'AQAB' }] }, []],
    ['no keys', { keys: [] }, ['jwks/no-signing-key']],
    ['only an EC key', { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', alg: 'ES256', use: 'sig' }] }, ['jwks/no-signing-key']],
    ['RSA for encryption only', { keys: [{ ...rsa, use: 'enc' }] }, ['jwks/no-signing-key']],
    ['RSA for RS512 only', { keys: [{ ...rsa, alg: 'RS512' }] }, ['jwks/no-signing-key']],
    ['a private RSA key', { keys: [{ ...rsa, d: 'x', p: 'y', q: 'z', dp: 'a', dq: 'b', qi: 'c' }, good.keys[1]] }, ['jwks/private-key']],
    ['a symmetric key (k)', { keys: [good.keys[0], { kty: 'oct', k: 'c2VjcmV0', kid: 'h' }] }, ['jwks/private-key']],
    ['not {"keys":[…]}', { key: [] }, ['jwks/invalid']],
    ['a list', [rsa], ['jwks/invalid']],
  ])('%s', (_name, value, expected) => {
    expect(judgeJwks(value, URL_).map((f) => f.code)).toEqual(expected);
  });

  it('names the kid that leaks private material', () => {
    const [f] = judgeJwks({ keys: [{ ...rsa, d: 'x' }] }, URL_);
    expect(f!.message).toContain(`kid ${rsa.kid}`);
    expect(f!.message).toContain('(d)');
  });

  it.each([
    ['HTML', json(200, '<html></html>', 'text/html'), ['jwks/invalid']],
    ['404', json(404, { message: 'nope' }), ['jwks/invalid']],
    ['good', json(200, good), []],
  ])('answer: %s', (_name, answer, expected) => {
    expect(judgeJwksAnswer(answer, URL_).map((f) => f.code)).toEqual(expected);
  });

  it('serves kids of 44 base64 characters, as Cognito does', () => {
    for (const k of good.keys) expect(k.kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
