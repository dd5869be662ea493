import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { ROOT } from './cli.js';
import { serverPool } from './pool.js';

/**
 * A fake of the `cognito-idp.<region>.amazonaws.com` host on 127.0.0.1, serving discovery documents
 * and JWKS shaped exactly as SPEC §2 describes, for several pools at once, plus ways to misbehave.
 * The CLI reaches it through CREATIO_SSO_COGNITO_IDP_URL: the documents keep the canonical hosts.
 */

export type PoolShape =
  /** A Cognito prefix domain: endpoints on <prefix>.auth.<region>.amazoncognito.com (auth-fips in GovCloud). */
  | 'prefix'
  /** A custom domain: endpoints on the custom host; issuer and JWKS stay on cognito-idp. */
  | 'custom'
  /** A prefix domain, document from before 2024: no end_session_endpoint / revocation_endpoint. */
  | 'pre-2024'
  /** No domain, 2024 shape: endpoints on the cognito-idp host itself (`<issuer>/authorize`, …). */
  | 'no-domain'
  /** No domain, older shape: authorization_endpoint equal to the issuer, no token endpoint. */
  | 'no-domain-old';

export interface FakePool {
  userPoolId: string;
  shape?: PoolShape;
  /** For 'prefix' and 'pre-2024'. Default: the pool ID lower-cased without `_` (the new console's default). */
  prefix?: string;
  /** For 'custom'. */
  customDomain?: string;
}

export type Misbehaviour =
  | 'hang' // accept, never answer
  | 'reset' // reset the connection
  | 'html' // 200 with an HTML page
  | 'huge' // 200 with a 50 MiB body, chunked
  | 'huge-declared' // 200 with Content-Length: 50 MiB
  | 'status-500'
  | 'redirect' // 302 to another path on this server
  | { status: number; body: string; contentType?: string };

export interface FakeCognitoOptions {
  pools: FakePool[];
  /** Wait this long before each answer. */
  delayMs?: number;
  /** Status of the answer for a pool the fake does not know (Cognito has given 400 and 404). */
  unknownPoolStatus?: 400 | 404;
  /** Per pool ID: misbehave on its discovery document and/or its JWKS. */
  misbehave?: Record<string, { discovery?: Misbehaviour; jwks?: Misbehaviour }>;
  /** Per pool ID: replace the discovery document or JWKS with this JSON. */
  documents?: Record<string, { discovery?: unknown; jwks?: unknown }>;
  /** Serve https with the self-signed certificate of test/fixtures/tls. */
  tls?: boolean;
}

export interface FakeCognito {
  /** The base URL to put in CREATIO_SSO_COGNITO_IDP_URL. */
  url: string;
  port: number;
  /** Every request path, in order. */
  requests: string[];
  /** How many requests asked for a path. */
  count(path: string): number;
  /** Requests for discovery documents / JWKS. */
  discoveryCount(): number;
  jwksCount(): number;
  /** Most requests being answered at one moment. */
  maxInFlight(): number;
  /** Bytes of the 50 MiB bodies actually written before the client hung up. */
  hugeBytesSent(): number;
  /** Answer from now on as `options` say (same `tls`): requests and counters start again, open connections are cut. */
  reset(options: FakeCognitoOptions): void;
  close(): Promise<void>;
}

export const TLS_CERT = readFileSync(path.join(ROOT, 'test/fixtures/tls/cert.pem'), 'utf8');
export const TLS_KEY = readFileSync(path.join(ROOT, 'test/fixtures/tls/key.pem'), 'utf8');

const HUGE_BYTES = 50 * 1024 * 1024;

export const regionOf = (userPoolId: string): string => userPoolId.slice(0, userPoolId.lastIndexOf('_'));
export const issuerOf = (userPoolId: string): string => `https://cognito-idp.${regionOf(userPoolId)}.amazonaws.com/${userPoolId}`;

/** The hosted UI host of a fake pool (undefined without a domain). */
export function domainHostOf(pool: FakePool): string | undefined {
  const shape = pool.shape ?? 'prefix';
  if (shape === 'custom') return pool.customDomain ?? 'auth.example.com';
  if (shape === 'prefix' || shape === 'pre-2024') {
    const region = regionOf(pool.userPoolId);
    const prefix = pool.prefix ?? pool.userPoolId.toLowerCase().replace(/_/g, '');
    return `${prefix}.${region.startsWith('us-gov-') ? 'auth-fips' : 'auth'}.${region}.amazoncognito.com`;
  }
  return undefined;
}

/** The discovery document of a pool, key for key as Cognito publishes it (keys in Cognito's order). */
export function discoveryDocumentOf(pool: FakePool): Record<string, unknown> {
  const shape = pool.shape ?? 'prefix';
  const issuer = issuerOf(pool.userPoolId);
  const common = {
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
  if (shape === 'no-domain-old') {
    // Very old documents: the issuer as authorization endpoint, no token endpoint.
    return sortKeys({ authorization_endpoint: issuer, ...common, userinfo_endpoint: `${issuer}/userInfo` });
  }
  if (shape === 'no-domain') {
    return sortKeys({
      authorization_endpoint: `${issuer}/authorize`,
      end_session_endpoint: `${issuer}/logout`,
      ...common,
      revocation_endpoint: `${issuer}/revoke`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userInfo`,
    });
  }
  const base = `https://${domainHostOf(pool)!}`;
  const doc: Record<string, unknown> = {
    authorization_endpoint: `${base}/oauth2/authorize`,
    end_session_endpoint: `${base}/logout`,
    ...common,
    revocation_endpoint: `${base}/oauth2/revoke`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userInfo`,
  };
  if (shape === 'pre-2024') {
    delete doc.end_session_endpoint;
    delete doc.revocation_endpoint;
  }
  return sortKeys(doc);
}

/** Two RSA keys, alg RS256, use sig, kid a 44-character base64 string: what Cognito publishes. */
export function jwksOf(pool: FakePool): { keys: Record<string, string>[] } {
  const key = (n: number) => {
    const seed = createHash('sha256').update(`${pool.userPoolId}#${n}`).digest();
    const modulus = Buffer.concat(Array.from({ length: 8 }, (_, i) => createHash('sha256').update(seed).update(String(i)).digest()));
    return { alg: 'RS256', e: 'AQAB', kid: seed.toString('base64'), kty: 'RSA', n: modulus.toString('base64url'), use: 'sig' };
  };
  return { keys: [key(1), key(2)] };
}

const sortKeys = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

const ROUTE = /^\/([^/?#]+)\/\.well-known\/(openid-configuration|jwks\.json)(?:[?#].*)?$/;

export async function startFakeCognito(initial: FakeCognitoOptions): Promise<FakeCognito> {
  let options = initial;
  let pools = new Map(options.pools.map((p) => [p.userPoolId, p]));
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;
  let hugeBytes = 0;

  const json = (res: ServerResponse, status: number, value: unknown) => {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const misbehave = (req: IncomingMessage, res: ServerResponse, how: Misbehaviour): boolean => {
    if (how === 'hang') return false; // keep the request open; close() destroys the socket
    if (how === 'reset') {
      req.socket.resetAndDestroy();
      return true;
    }
    if (how === 'html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>Captive portal</body></html>');
      return true;
    }
    if (how === 'huge' || how === 'huge-declared') {
      res.writeHead(200, { 'content-type': 'application/json', ...(how === 'huge-declared' ? { 'content-length': HUGE_BYTES } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < HUGE_BYTES && !res.destroyed) {
          sent += chunk.length;
          hugeBytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      res.on('error', () => {});
      pump();
      return true;
    }
    if (how === 'status-500') {
      json(res, 500, { message: 'An error occurred (InternalErrorException)' });
      return true;
    }
    if (how === 'redirect') {
      res.writeHead(302, { location: '/moved/elsewhere', 'content-length': 0 });
      res.end();
      return true;
    }
    res.writeHead(how.status, { 'content-type': how.contentType ?? 'application/json' });
    res.end(how.body);
    return true;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    requests.push(url);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) inFlight--;
      counted = false;
    };
    res.on('close', done);
    const answer = () => {
      const m = ROUTE.exec(url);
      if (!m || req.method !== 'GET') return json(res, 404, { message: 'Not Found' });
      const poolId = decodeURIComponent(m[1]!);
      const which = m[2] === 'jwks.json' ? 'jwks' : 'discovery';
      const how = options.misbehave?.[poolId]?.[which];
      if (how !== undefined) {
        misbehave(req, res, how);
        return;
      }
      const pool = pools.get(poolId);
      if (!pool)
        return json(res, options.unknownPoolStatus ?? 400, {
          code: 'ResourceNotFoundException',
          message: `User pool ${poolId} does not exist.`,
        });
      const custom = options.documents?.[poolId]?.[which];
      if (custom !== undefined) return json(res, 200, custom);
      return json(res, 200, which === 'jwks' ? jwksOf(pool) : discoveryDocumentOf(pool));
    };
    if (options.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        answer();
      }, options.delayMs);
      timers.add(t);
    } else answer();
  };

  const server: Server = options.tls ? createHttpsServer({ cert: TLS_CERT, key: TLS_KEY }, handle) : createHttpServer(handle);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that rejects the certificate just hangs up: not an error of the fake.
  server.on('tlsClientError', () => {});
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    count: (p) => requests.filter((r) => r === p).length,
    discoveryCount: () => requests.filter((r) => r.endsWith('/.well-known/openid-configuration')).length,
    jwksCount: () => requests.filter((r) => r.endsWith('/.well-known/jwks.json')).length,
    maxInFlight: () => maxInFlight,
    hugeBytesSent: () => hugeBytes,
    reset(next) {
      if (Boolean(next.tls) !== Boolean(initial.tls)) throw new Error('reset() cannot switch a fake between http and https');
      options = next;
      pools = new Map(options.pools.map((p) => [p.userPoolId, p]));
      requests.length = 0;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      inFlight = maxInFlight = hugeBytes = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Fake Cognito hosts for one test file: servers start on first use and are reused by later tests
 * (`take` resets one to the test's options), so a file pays for its servers once.
 * Call `release` in afterEach and `close` in afterAll.
 */
export const fakeCognitoPool = () => serverPool(startFakeCognito, (o) => (o.tls ? 'https' : 'http'));
