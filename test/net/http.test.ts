import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { createHttpClient, DEFAULT_CONCURRENCY, proxySettingsOf, type HttpClientOptions } from '../../src/net/http.js';
import { readOverrides, targetOf, withHostedUiHosts } from '../../src/net/overrides.js';
import { NetworkError, type HttpClient } from '../../src/net/types.js';
import { startFakeCognito, TLS_CERT, type FakeCognito } from '../support/fake-cognito.js';
import { startProxy, type TestProxy } from '../support/proxy.js';

const POOL = 'eu-west-1_AbCdEf123';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`;
const JWKS = `${ISSUER}/.well-known/jwks.json`;

// Everything started in a test is closed after it, whatever happened: no test can hang on a server.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function fake(options: Parameters<typeof startFakeCognito>[0]): Promise<FakeCognito> {
  const f = await startFakeCognito(options);
  cleanups.push(() => f.close());
  return f;
}
async function proxy(options?: Parameters<typeof startProxy>[0]): Promise<TestProxy> {
  const p = await startProxy(options);
  cleanups.push(() => p.close());
  return p;
}
function client(options: Partial<HttpClientOptions> & { env: NodeJS.ProcessEnv }): HttpClient {
  const c = createHttpClient({ timeoutMs: 2000, ...options, env: { CREATIO_SSO_TEST: '1', ...options.env } });
  cleanups.push(() => c.close());
  return c;
}
const failure = (p: Promise<unknown>): Promise<NetworkError> =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(NetworkError);
      return e as NetworkError;
    },
  );

describe('override variables (SPEC §8)', () => {
  it.each([
    ['discovery under cognito-idp', DISCOVERY, 'http://127.0.0.1:9/eu-west-1_AbCdEf123/.well-known/openid-configuration'],
    [
      'another region',
      'https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_X/.well-known/jwks.json',
      'http://127.0.0.1:9/us-gov-west-1_X/.well-known/jwks.json',
    ],
    [
      'hosted UI path and query unchanged',
      'https://acme.auth.eu-west-1.amazoncognito.com/oauth2/authorize?client_id=a&scope=openid%20email',
      'http://localhost:8/base/oauth2/authorize?client_id=a&scope=openid%20email',
    ],
    [
      'a declared custom domain is a hosted UI host too',
      'https://auth.example.com/logout?client_id=a',
      'http://localhost:8/base/logout?client_id=a',
    ],
    ['a Creatio site is not the hosted UI', 'https://acme.creatio.com/0/rest/x', 'https://acme.creatio.com/0/rest/x'],
    ['an undeclared custom host is not', 'https://evil.example.net/oauth2/token', 'https://evil.example.net/oauth2/token'],
    ['userinfo never makes a host match', 'https://x@auth.example.com/logout', 'https://x@auth.example.com/logout'],
  ])('%s', (_name, canonical, expected) => {
    const overrides = withHostedUiHosts(
      readOverrides({
        CREATIO_SSO_COGNITO_IDP_URL: 'http://127.0.0.1:9/',
        CREATIO_SSO_HOSTED_UI_URL: 'http://localhost:8/base',
      }),
      ['Auth.Example.com'],
    );
    expect(targetOf(canonical, overrides)).toBe(expected);
  });

  it('routes a custom domain named by CREATIO_SSO_DOMAIN to the hosted UI override', () => {
    const overrides = readOverrides({ CREATIO_SSO_HOSTED_UI_URL: 'http://127.0.0.1:8', CREATIO_SSO_DOMAIN: 'auth.acme.com' });
    expect(targetOf('https://auth.acme.com/oauth2/token', overrides)).toBe('http://127.0.0.1:8/oauth2/token');
    expect(targetOf('https://acme.creatio.com/', overrides)).toBe('https://acme.creatio.com/');
  });

  it('leaves URLs alone without overrides', () => {
    expect(targetOf(DISCOVERY, readOverrides({}))).toBe(DISCOVERY);
  });

  it.each([
    ['http to a host that is not loopback', 'http://idp.example.com', /not a loopback address/],
    ['not a URL', 'cognito', /is not a URL/],
    ['another scheme', 'ftp://127.0.0.1', /must be an https URL/],
    ['a query', 'https://idp.example.com/?a=1', /plain base URL/],
  ])('rejects %s with a usage error (exit 2)', (_name, value, message) => {
    expect(() => createHttpClient({ env: { CREATIO_SSO_COGNITO_IDP_URL: value }, timeoutMs: 1000 })).toThrow(UsageError);
    expect(() => readOverrides({ CREATIO_SSO_HOSTED_UI_URL: value })).toThrow(message);
  });

  it.each(['http://localhost:1', 'http://127.0.0.1:1', 'http://127.1.2.3:1', 'http://[::1]:1', 'https://idp.example.com'])(
    'accepts %s',
    (value) => {
      expect(() => readOverrides({ CREATIO_SSO_COGNITO_IDP_URL: value })).not.toThrow();
    },
  );

  it('sends a canonical request to the override and reports the canonical URL', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }] });
    const res = await client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } }).request({ method: 'GET', url: `${DISCOVERY}?x=1` });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${DISCOVERY}?x=1`);
    expect(res.sentTo).toBe(`${f.url}/${POOL}/.well-known/openid-configuration?x=1`);
    expect(f.requests).toEqual([`/${POOL}/.well-known/openid-configuration?x=1`]);
    expect(JSON.parse(res.body).issuer).toBe(ISSUER);
  });
});

describe('one request per URL, bounded concurrency', () => {
  it('makes identical GETs once and shares the answer', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], delayMs: 50 });
    const http = client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } });
    const answers = await Promise.all(Array.from({ length: 25 }, () => http.request({ method: 'GET', url: DISCOVERY })));
    await http.request({ method: 'GET', url: DISCOVERY });
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(f.discoveryCount()).toBe(1);
  });

  it('shares a failure too: a pool that times out is asked once', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'hang' } } });
    const http = client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url }, timeoutMs: 200 });
    const errors = await Promise.all([
      failure(http.request({ method: 'GET', url: DISCOVERY })),
      failure(http.request({ method: 'GET', url: DISCOVERY })),
    ]);
    expect(errors.map((e) => e.kind)).toEqual(['timeout', 'timeout']);
    expect(f.discoveryCount()).toBe(1);
  });

  it('keeps at most DEFAULT_CONCURRENCY requests in flight', async () => {
    const pools = Array.from({ length: 2 * DEFAULT_CONCURRENCY + 5 }, (_, i) => ({
      userPoolId: `eu-west-1_Pool${String(i).padStart(5, '0')}`,
    }));
    const f = await fake({ pools, delayMs: 30 });
    const http = client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } });
    await Promise.all(
      pools.map((p) =>
        http.request({ method: 'GET', url: `https://cognito-idp.eu-west-1.amazonaws.com/${p.userPoolId}/.well-known/jwks.json` }),
      ),
    );
    expect(f.jwksCount()).toBe(pools.length);
    expect(f.maxInFlight()).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
    expect(f.maxInFlight()).toBeGreaterThan(1);
  });
});

describe('bounded in time and size, no redirects', () => {
  it('gives up after --timeout on a server that never answers', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'hang' } } });
    const started = Date.now();
    const e = await failure(
      client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url }, timeoutMs: 300 }).request({ method: 'GET', url: DISCOVERY }),
    );
    expect(e.kind).toBe('timeout');
    expect(e.message).toContain('within 300 ms');
    expect(e.message).toContain('--timeout');
    expect(e.url).toBe(DISCOVERY);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops at the overall deadline even when --timeout is longer', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'hang' } } });
    const http = client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url }, timeoutMs: 10_000, deadlineMs: 300 });
    const e = await failure(http.request({ method: 'GET', url: DISCOVERY }));
    expect(e.kind).toBe('timeout');
    expect(e.message).toContain('overall time limit');
    const late = await failure(http.request({ method: 'GET', url: JWKS }));
    expect(late.kind).toBe('timeout');
    expect(f.jwksCount()).toBe(0);
  });

  it('closes at once, ending a request still waiting for its answer', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'hang' } } });
    const http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: f.url }, timeoutMs: 20_000 });
    const pending = failure(http.request({ method: 'GET', url: DISCOVERY }));
    while (f.discoveryCount() === 0) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await http.close();
    expect((await pending).kind).toBe('network');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('says when the requests made so far are out (written), while their answers are still awaited', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'hang', jwks: 'hang' } } });
    const http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: f.url }, timeoutMs: 20_000 });
    cleanups.push(() => http.close());
    // Nothing made yet: nothing to wait for.
    await http.dispatched();
    const pending = [DISCOVERY, JWKS].map((url) => failure(http.request({ method: 'GET', url })));
    let answered = false;
    void Promise.allSettled(pending).then(() => (answered = true));
    await http.dispatched();
    // Both requests were written to their sockets (the server reads them), and neither has an answer.
    while (f.discoveryCount() === 0 || f.jwksCount() === 0) await new Promise((r) => setTimeout(r, 10));
    expect(answered).toBe(false);
    await http.close();
    for (const e of await Promise.all(pending)) expect(e.kind).toBe('network');
  });

  it('reports a reset connection as a network failure', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'reset' } } });
    const e = await failure(client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } }).request({ method: 'GET', url: DISCOVERY }));
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/reset|closed/);
  });

  it('reports a closed port as a network failure naming the override', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await failure(
      client({ env: { CREATIO_SSO_COGNITO_IDP_URL: `http://127.0.0.1:${port}` } }).request({ method: 'GET', url: DISCOVERY }),
    );
    expect(e.kind).toBe('network');
    expect(e.message).toContain('connection refused');
    expect(e.message).toContain(`sent to http://127.0.0.1:${port}/`);
  });

  it.each(['huge', 'huge-declared'] as const)('refuses a 50 MiB body (%s) after 1 MiB, without reading it all', async (how) => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: how } } });
    const e = await failure(client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } }).request({ method: 'GET', url: DISCOVERY }));
    expect(e.kind).toBe('too-large');
    expect(e.message).toContain('more than the 1 MiB allowed');
    expect(f.hugeBytesSent()).toBeLessThan(20 * 1024 * 1024);
  });

  it('does not follow a redirect: the 302 is the answer', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'redirect' } } });
    const res = await client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } }).request({ method: 'GET', url: DISCOVERY });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/moved/elsewhere');
    expect(f.requests).toEqual([`/${POOL}/.well-known/openid-configuration`]);
  });

  it("answers HTML as it came (judging it is the checks' work)", async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'html' } } });
    const res = await client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } }).request({ method: 'GET', url: DISCOVERY });
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('secrets', () => {
  it('refuses a body or credentials for anything but the token endpoint', async () => {
    const http = client({ env: { CREATIO_SSO_HOSTED_UI_URL: 'http://127.0.0.1:9' } });
    await expect(http.request({ method: 'POST', url: DISCOVERY, body: 'a=b' })).rejects.toThrow(/only the token endpoint/);
    await expect(
      http.request({
        method: 'GET',
        url: 'https://acme.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
        headers: { Authorization: 'Basic eA==' },
      }),
    ).rejects.toThrow(/only the token endpoint/);
  });
});

describe('connections', () => {
  /** A loopback server that counts the connections made to it; every answer is empty. */
  async function counting(): Promise<{ url: string; connections: number[] }> {
    const connections: number[] = [];
    const server: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(req.method === 'POST' ? 400 : 302, { location: '/login', 'content-length': '0' }).end();
    });
    server.on('connection', (socket) => connections.push(socket.remotePort ?? 0));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
  }
  const HOST = 'acme.auth.eu-west-1.amazoncognito.com';

  it('a request made as soon as the one before it is answered reuses its connection', async () => {
    const s = await counting();
    const http = client({ env: { CREATIO_SSO_HOSTED_UI_URL: s.url } });
    for (const path of ['oauth2/authorize?client_id=a', 'logout?client_id=a', 'oauth2/authorize?client_id=b'])
      expect((await http.request({ method: 'GET', url: `https://${HOST}/${path}` })).status).toBe(302);
    // Before: undici frees a connection a turn after its answer, so the next request opened another.
    expect(s.connections).toHaveLength(1);
  });

  it('a request stopped before it is handed to undici opens no connection', async () => {
    const s = await counting();
    const stop = new AbortController();
    const http = client({ env: { CREATIO_SSO_HOSTED_UI_URL: s.url }, signal: stop.signal });
    const sent = http.request({ method: 'GET', url: `https://${HOST}/oauth2/authorize?client_id=a` });
    stop.abort(new Error('stopped by the test'));
    await expect(sent).rejects.toThrow('stopped by the test');
    // What undici would have done with it: connected, then failed the request.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.connections).toEqual([]);
  });

  it('without a proxy, the token request with the secret over http (a loopback stand-in) reuses the open connection', async () => {
    const s = await counting();
    const http = client({ env: { CREATIO_SSO_HOSTED_UI_URL: s.url } });
    const authorize = await http.request({ method: 'GET', url: `https://${HOST}/oauth2/authorize?client_id=a` });
    const token = await http.request({
      method: 'POST',
      url: `https://${HOST}/oauth2/token`,
      headers: { authorization: 'Basic YTpi', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=x',
      credential: { kind: 'client-secret', allowedHosts: [HOST] },
    });
    expect([authorize.status, token.status]).toEqual([302, 400]);
    // Before: the secret's request took a dispatcher of its own, and with it a second connection.
    expect(s.connections).toHaveLength(1);
  });
});

describe('TLS', () => {
  it('explains an untrusted self-signed certificate', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], tls: true });
    const e = await failure(client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url } }).request({ method: 'GET', url: DISCOVERY }));
    expect(e.kind).toBe('tls');
    expect(e.message).toContain('self-signed');
    expect(e.message).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('talks https to a server whose certificate is trusted', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], tls: true });
    const res = await client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url }, ca: TLS_CERT }).request({ method: 'GET', url: DISCOVERY });
    expect(res.status).toBe(200);
  });
});

describe('proxy variables', () => {
  it('reads lower-case variables first, HTTPS_PROXY falling back to HTTP_PROXY', () => {
    expect(proxySettingsOf({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:1', NO_PROXY: 'x' })).toEqual({
      httpsProxy: 'http://a:1',
      noProxy: 'x',
    });
    expect(proxySettingsOf({ HTTP_PROXY: 'http://c:1' })).toEqual({ httpProxy: 'http://c:1', httpsProxy: 'http://c:1' });
  });

  it('rejects a proxy variable that is not a URL (exit 2)', () => {
    expect(() => createHttpClient({ env: { HTTPS_PROXY: 'proxy:3128' }, timeoutMs: 1000 })).toThrow(UsageError);
  });

  it('sends http requests through HTTP_PROXY as absolute-form requests', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }] });
    const p = await proxy();
    const res = await client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url, HTTP_PROXY: p.url } }).request({ method: 'GET', url: DISCOVERY });
    expect(res.status).toBe(200);
    expect(p.passages).toEqual([{ kind: 'forward', target: `${f.url}/${POOL}/.well-known/openid-configuration` }]);
    expect(f.discoveryCount()).toBe(1);
  });

  it('tunnels https requests through HTTPS_PROXY with CONNECT (lower-case variable)', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], tls: true });
    const p = await proxy();
    const res = await client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url, https_proxy: p.url }, ca: TLS_CERT }).request({
      method: 'GET',
      url: DISCOVERY,
    });
    expect(res.status).toBe(200);
    expect(p.passages).toEqual([{ kind: 'connect', target: `127.0.0.1:${f.port}` }]);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }] });
    const p = await proxy();
    const res = await client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url, HTTP_PROXY: p.url, NO_PROXY: 'example.com,127.0.0.1' } }).request(
      { method: 'GET', url: DISCOVERY },
    );
    expect(res.status).toBe(200);
    expect(p.passages).toEqual([]);
    expect(f.discoveryCount()).toBe(1);
  });

  it('says when the proxy refuses the tunnel', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }], tls: true });
    const p = await proxy({ refuseConnect: 403 });
    const e = await failure(
      client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url, HTTPS_PROXY: p.url }, ca: TLS_CERT }).request({ method: 'GET', url: DISCOVERY }),
    );
    expect(e.kind).toBe('proxy');
    expect(e.message).toContain('403');
  });

  it('says when the proxy itself cannot be reached', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL }] });
    const gone: Server = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((r) => gone.close(() => r()));
    const e = await failure(
      client({ env: { CREATIO_SSO_COGNITO_IDP_URL: f.url, HTTP_PROXY: `http://user:pw@127.0.0.1:${port}` } }).request({
        method: 'GET',
        url: DISCOVERY,
      }),
    );
    expect(e.kind).toBe('proxy');
    expect(e.message).toContain(`http://127.0.0.1:${port}`);
    expect(e.message).not.toContain('pw');
  });
});
