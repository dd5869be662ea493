import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { jwksOf } from './fake-cognito.js';
import { serverPool } from './pool.js';

/**
 * A loopback stand-in for a Cognito hosted UI domain that answers as SPEC §2 says real Cognito does
 * (redirects are the answers; nothing is followed). Point CREATIO_SSO_HOSTED_UI_URL at `url`. With
 * `discovery` it also serves the pool's discovery document and JWKS, for CREATIO_SSO_COGNITO_IDP_URL.
 * Every request is recorded, so tests can see exactly what the CLI sent.
 */
export interface FakeAppClient {
  clientId: string;
  /** The client secret; a client without one rejects every Basic authentication. */
  secret?: string;
  /**
   * The client's current secrets, asked at every token request (e.g. from the client-secret stand-in over
   * moto): any of them is accepted, a deleted one refused. Takes the place of `secret`.
   */
  secrets?: () => readonly string[];
  callbackUrls: string[];
  logoutUrls: string[];
  /** Allowed OAuth scopes. */
  scopes: string[];
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request arrived (performance.now()). */
  at: number;
}

export interface FakeHostedUiOptions {
  clients: FakeAppClient[];
  /** How a scope the client does not allow is refused: Cognito's /error page, or back to the redirect_uri. */
  scopeError?: 'error-page' | 'redirect';
  /** Status of an `invalid_client` answer from the token endpoint (Cognito has been seen with both). */
  invalidClientStatus?: 400 | 401;
  /** Answer some requests differently (an answer none of doctor's rules explains); undefined = as Cognito. */
  answer?: (req: RecordedRequest) => FakeAnswer | undefined;
  /** Also serve the discovery document and JWKS of this pool, with endpoints on `domainHost`. */
  discovery?: { userPoolId: string; region: string; domainHost: string };
  /** Accept connections and never answer (a black-holed domain). */
  silent?: boolean;
  /** Answer every request this long after it arrived (a Cognito far away). */
  delayMs?: number;
  /** Answer nothing before this settles (then as delayMs says). */
  holdUntil?: Promise<unknown>;
  /**
   * A new secret is refused (invalid_client) for this long after the token endpoint first finds it among a
   * client's `secrets` (Cognito may take a moment to accept a secret just added). The secrets listed at the
   * first token request count as old. `Infinity`: a new secret is never accepted.
   */
  newSecretDelayMs?: number;
}

export interface FakeHostedUi {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** Answer from now on as `options` say: recorded requests are forgotten, open connections cut. */
  reset(options: FakeHostedUiOptions): void;
  close(): Promise<void>;
}

const json = (status: number, doc: unknown): FakeAnswer => ({
  status,
  headers: { 'content-type': 'application/json;charset=UTF-8' },
  body: JSON.stringify(doc),
});
const redirect = (location: string): FakeAnswer => ({ status: 302, headers: { location } });

export async function startFakeHostedUi(initial: FakeHostedUiOptions): Promise<FakeHostedUi> {
  let options = initial;
  const requests: RecordedRequest[] = [];
  /** Per client: when each of its secrets was first seen (0: there from the start). */
  const seen = new Map<string, Map<string, number>>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
      };
      requests.push(recorded);
      if (options.silent) return; // never answer
      // Cognito answers with its own host in Location: here, the host that was asked.
      const origin = `http://${req.headers.host}`;
      const a = options.answer?.(recorded) ?? route(recorded, origin, options, seen);
      const send = () => {
        res.writeHead(a.status, a.headers ?? {});
        res.end(a.body ?? '');
      };
      const { delayMs, holdUntil } = options;
      const answer = () => (delayMs ? setTimeout(send, delayMs) : send());
      if (holdUntil) void holdUntil.then(answer, answer);
      else answer();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset(next) {
      options = next;
      requests.length = 0;
      seen.clear();
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function route(req: RecordedRequest, origin: string, o: FakeHostedUiOptions, seen: Map<string, Map<string, number>>): FakeAnswer {
  const q = req.query;
  const client = o.clients.find((c) => c.clientId === q.get('client_id'));

  if (req.method === 'GET' && req.path === '/oauth2/authorize') {
    if (!client) return redirect(`${origin}/error?error=invalid_request&client_id=${encodeURIComponent(q.get('client_id') ?? '')}`);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client.callbackUrls.includes(redirectUri))
      return redirect(`${origin}/error?error=redirect_mismatch&client_id=${encodeURIComponent(client.clientId)}`);
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.every((s) => client.scopes.includes(s))) {
      if (o.scopeError === 'redirect') {
        const back = new URLSearchParams({ error_description: 'invalid_scope', state: q.get('state') ?? '', error: 'invalid_request' });
        return redirect(`${redirectUri}?${back}`);
      }
      return redirect(`${origin}/error?error=invalid_scope&client_id=${encodeURIComponent(client.clientId)}`);
    }
    return redirect(`${origin}/login?${q}`);
  }

  if (req.method === 'POST' && req.path === '/oauth2/token') {
    const invalidClient = json(o.invalidClientStatus ?? 400, { error: 'invalid_client' });
    const m = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''));
    if (!m) return invalidClient;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const authed = o.clients.find((c) => c.clientId === id);
    if (colon < 0 || !authed || !accepts(authed, secret, o, seen)) return invalidClient;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return json(400, { error: 'invalid_request' });
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'authorization_code') return json(400, { error: 'unsupported_grant_type' });
    // No code was ever issued here: every code is unknown.
    return json(400, { error: 'invalid_grant' });
  }

  if (req.method === 'GET' && req.path === '/logout') {
    if (!client) return redirect(`${origin}/error?error=invalid_request&client_id=${encodeURIComponent(q.get('client_id') ?? '')}`);
    const logoutUri = q.get('logout_uri');
    if (logoutUri === null) return redirect(`${origin}/login?${q}`);
    if (client.logoutUrls.includes(logoutUri)) return redirect(logoutUri);
    return redirect(`${origin}/error?error=redirect_mismatch&client_id=${encodeURIComponent(client.clientId)}`);
  }

  if (req.method === 'GET' && req.path === '/login')
    return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><title>Signin</title></html>' };
  if (req.method === 'GET' && req.path === '/error')
    return {
      status: 400,
      headers: { 'content-type': 'text/html' },
      body: '<html>An error was encountered with the requested page.</html>',
    };

  const d = o.discovery;
  if (d && req.method === 'GET') {
    const m = /^\/([^/]+)\/\.well-known\/(openid-configuration|jwks\.json)$/.exec(req.path);
    if (m) {
      if (m[1] !== d.userPoolId) return json(400, { message: `User pool ${m[1]} does not exist.` });
      return json(200, m[2] === 'jwks.json' ? jwksOf({ userPoolId: d.userPoolId }) : discoveryDocument(d));
    }
  }
  return { status: 404, body: 'Not Found' };
}

/** Whether the client accepts this secret now: its one `secret`, or any current one of `secrets` old enough. */
function accepts(c: FakeAppClient, secret: string, o: FakeHostedUiOptions, seen: Map<string, Map<string, number>>): boolean {
  if (!c.secrets) return c.secret !== undefined && c.secret === secret;
  const current = c.secrets();
  const now = performance.now();
  let first = seen.get(c.clientId);
  if (!first) seen.set(c.clientId, (first = new Map(current.map((v) => [v, 0]))));
  for (const v of current) if (!first.has(v)) first.set(v, now);
  if (!current.includes(secret)) return false;
  const since = first.get(secret) ?? 0;
  return since === 0 || now - since >= (o.newSecretDelayMs ?? 0);
}

/** The discovery document of a pool with a domain, as Cognito publishes it today (§2). */
export function discoveryDocument(d: { userPoolId: string; region: string; domainHost: string }): Record<string, unknown> {
  const issuer = `https://cognito-idp.${d.region}.amazonaws.com/${d.userPoolId}`;
  const base = `https://${d.domainHost}`;
  return {
    authorization_endpoint: `${base}/oauth2/authorize`,
    end_session_endpoint: `${base}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${base}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${base}/oauth2/userInfo`,
  };
}

/**
 * Fake hosted UIs for one test file: servers start on first use and are reused by later tests
 * (`take` resets one to the test's options), so a file pays for its servers once.
 * Call `release` in afterEach and `close` in afterAll.
 */
export const hostedUiPool = () => serverPool(startFakeHostedUi);
