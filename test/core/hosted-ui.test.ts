import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  basicAuthorization,
  judgeAuthorize,
  judgeLogout,
  judgeToken,
  logoutUrl,
  tokenRequestBody,
  tokenUrl,
  unreachable,
  type HostedUiTarget,
  type ProbeAnswer,
} from '../../src/core/cognito/hosted-ui.js';

const T: HostedUiTarget = {
  providerUrl: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12eqe3alr',
  callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
  signOutUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
};
const HOST = 'https://acme-login.auth.eu-west-1.amazoncognito.com';
const OVERRIDE = 'http://127.0.0.1:41234';
const ASKED = authorizeUrl(T, 'st4te');
const CB = encodeURIComponent(T.callbackUrl);

describe('probe requests', () => {
  it('authorize asks exactly what Creatio asks', () => {
    expect(ASKED).toBe(
      `${HOST}/oauth2/authorize?response_type=code&client_id=1h57kf5cpq17m0eml12eqe3alr&redirect_uri=${CB}&scope=openid+email+phone+profile&state=st4te`,
    );
  });
  it('token posts a made-up code with the callback', () => {
    expect(tokenUrl(T)).toBe(`${HOST}/oauth2/token`);
    expect(tokenRequestBody(T, 'c0de')).toBe(`grant_type=authorization_code&code=c0de&redirect_uri=${CB}`);
  });
  it('Basic authentication is Base64(client_id:secret) of the raw values', () => {
    expect(basicAuthorization('abc', 'x+y_z')).toBe(`Basic ${Buffer.from('abc:x+y_z').toString('base64')}`);
  });
  it('logout names the client and the sign-out URL', () => {
    expect(logoutUrl(T)).toBe(`${HOST}/logout?client_id=1h57kf5cpq17m0eml12eqe3alr&logout_uri=${encodeURIComponent(T.signOutUrl)}`);
  });
});

describe('judgeAuthorize', () => {
  const at = (status: number, location?: string, body?: string): ProbeAnswer => ({ status, location, body });
  it.each<[string, ProbeAnswer, string, string | undefined]>([
    ['/login on the domain', at(302, `${HOST}/login?client_id=x&response_type=code`), 'pass', undefined],
    ['/login behind an override', at(302, `${OVERRIDE}/login?client_id=x`), 'pass', undefined],
    ['relative /login', at(302, '/login?client_id=x'), 'pass', undefined],
    ['redirect_mismatch', at(302, `${HOST}/error?error=redirect_mismatch&client_id=x`), 'fail', 'callback/not-registered'],
    [
      'redirect_mismatch behind an override',
      at(302, `${OVERRIDE}/error?error=redirect_mismatch&client_id=x`),
      'fail',
      'callback/not-registered',
    ],
    ['unknown client', at(302, `${HOST}/error?error=invalid_request&client_id=x`), 'fail', 'client/unknown'],
    ['invalid_scope error page', at(302, `${HOST}/error?error=invalid_scope&client_id=x`), 'fail', 'scope/not-allowed'],
    [
      'invalid_scope back at the callback (request + description)',
      at(302, `${T.callbackUrl}?error_description=invalid_scope&state=st4te&error=invalid_request`),
      'fail',
      'scope/not-allowed',
    ],
    [
      'invalid_scope back at the callback (as documented)',
      at(302, `${T.callbackUrl}?error=invalid_scope&state=st4te`),
      'fail',
      'scope/not-allowed',
    ],
    [
      'unauthorized_client back at the callback',
      at(302, `${T.callbackUrl}?error=unauthorized_client&state=st4te`),
      'warn',
      'hosted-ui/unexpected',
    ],
    ['another error page', at(302, `${HOST}/error?error=server_error`), 'warn', 'hosted-ui/unexpected'],
    ['a federated identity provider', at(302, 'https://idp.example.com/sso?SAMLRequest=x'), 'warn', 'hosted-ui/unexpected'],
    ['200 page', at(200, undefined, '<html>'), 'warn', 'hosted-ui/unexpected'],
    ['302 without Location', at(302), 'warn', 'hosted-ui/unexpected'],
    [
      'the cognito-idp host',
      at(
        400,
        undefined,
        '{"code":"BadRequest","message":"The server did not understand the operation that was requested.","type":"client"}',
      ),
      'warn',
      'hosted-ui/unexpected',
    ],
    ['404', at(404, undefined, 'Not Found'), 'warn', 'hosted-ui/unexpected'],
  ])('%s', (_, answer, status, code) => {
    const r = judgeAuthorize(answer, T, ASKED);
    expect(r.status).toBe(status);
    expect(r.findings.map((f) => f.code)).toEqual(code ? [code] : []);
  });

  it('names the exact callback URL to add and where', () => {
    const [f] = judgeAuthorize(at(302, `${HOST}/error?error=redirect_mismatch`), T, ASKED).findings;
    expect(f!.message).toContain(`add ${T.callbackUrl} to Allowed callback URLs`);
    expect(f!.message).toContain('App clients → 1h57kf5cpq17m0eml12eqe3alr → Login pages');
    expect(f!.severity).toBe('error');
  });
  it('names the four scopes to select', () => {
    const [f] = judgeAuthorize(at(302, `${HOST}/error?error=invalid_scope`), T, ASKED).findings;
    expect(f!.message).toMatch(/OpenID Connect scopes select OpenID, Email, Phone and Profile/);
  });
  it('shows status and Location of an unexplained answer, as a warning', () => {
    const [f] = judgeAuthorize(at(302, 'https://idp.example.com/sso?x=1'), T, ASKED).findings;
    expect(f!.severity).toBe('warning');
    expect(f!.message).toContain('302 with Location https://idp.example.com/sso?x=1');
  });
});

describe('judgeToken', () => {
  const json = (status: number, body: unknown): ProbeAnswer => ({ status, body: JSON.stringify(body) });
  it.each<[string, ProbeAnswer, string, string | undefined]>([
    ['invalid_grant: secret accepted', json(400, { error: 'invalid_grant' }), 'pass', undefined],
    ['400 invalid_client', json(400, { error: 'invalid_client' }), 'fail', 'client-secret/rejected'],
    ['401 invalid_client', json(401, { error: 'invalid_client' }), 'fail', 'client-secret/rejected'],
    ['unauthorized_client', json(400, { error: 'unauthorized_client' }), 'warn', 'hosted-ui/unexpected'],
    ['invalid_request', json(400, { error: 'invalid_request' }), 'warn', 'hosted-ui/unexpected'],
    ['tokens for a made-up code', json(200, { access_token: 'x' }), 'warn', 'hosted-ui/unexpected'],
    ['not JSON', { status: 400, body: '<html>' }, 'warn', 'hosted-ui/unexpected'],
    ['500', { status: 500, body: '' }, 'warn', 'hosted-ui/unexpected'],
    ['a redirect', { status: 302, location: 'https://x.example.com/' }, 'warn', 'hosted-ui/unexpected'],
  ])('%s', (_, answer, status, code) => {
    const r = judgeToken(answer, T, 'the environment variable COGNITO_CLIENT_SECRET');
    expect(r.status).toBe(status);
    expect(r.findings.map((f) => f.code)).toEqual(code ? [code] : []);
  });
  it('says where the rejected secret came from and where to copy it', () => {
    const [f] = judgeToken(json(401, { error: 'invalid_client' }), T, 'the environment variable COGNITO_CLIENT_SECRET').findings;
    expect(f!.message).toContain('COGNITO_CLIENT_SECRET');
    expect(f!.message).toContain('Show client secret');
  });
  it('never shows more of a body than its OAuth error', () => {
    const r = judgeToken({ status: 400, body: JSON.stringify({ error: 'invalid_request', error_description: 'leaky detail' }) }, T, 'x');
    expect(JSON.stringify(r)).not.toContain('leaky detail');
    expect(r.findings[0]!.message).toContain('error invalid_request');
  });
});

describe('judgeLogout', () => {
  const ASKED_LOGOUT = logoutUrl(T);
  it.each<[string, ProbeAnswer, string, string | undefined]>([
    ['exactly the sign-out URL', { status: 302, location: T.signOutUrl }, 'pass', undefined],
    ['/login', { status: 302, location: `${HOST}/login?client_id=x` }, 'fail', 'logout/not-registered'],
    ['/error', { status: 302, location: `${HOST}/error?error=redirect_mismatch&client_id=x` }, 'fail', 'logout/not-registered'],
    ['/error behind an override', { status: 302, location: `${OVERRIDE}/error?error=redirect_mismatch` }, 'fail', 'logout/not-registered'],
    ['the callback instead', { status: 302, location: T.callbackUrl }, 'warn', 'hosted-ui/unexpected'],
    ['a 200 page', { status: 200, body: '<html>' }, 'warn', 'hosted-ui/unexpected'],
  ])('%s', (_, answer, status, code) => {
    const r = judgeLogout(answer, T, ASKED_LOGOUT);
    expect(r.status).toBe(status);
    expect(r.findings.map((f) => f.code)).toEqual(code ? [code] : []);
  });
  it('names the exact sign-out URL to add', () => {
    const [f] = judgeLogout({ status: 302, location: `${HOST}/login` }, T, ASKED_LOGOUT).findings;
    expect(f!.message).toContain(`add ${T.signOutUrl} to Allowed sign-out URLs`);
  });
});

it('unreachable is inconclusive and names the domain', () => {
  const r = unreachable('authorize', T, 'no answer within 500 ms');
  expect(r.status).toBe('inconclusive');
  expect(r.findings[0]!.code).toBe('hosted-ui/unreachable');
  expect(r.findings[0]!.message).toContain(HOST);
});
