import { isLoopbackHost } from '../core/hosts/loopback.js';
import type { Agent, Dispatcher } from 'undici';
import type { Context } from '../cli/context.js';
import { toolVersion } from '../cli/version.js';
import { UsageError } from '../cli/errors.js';
import { DEFAULT_TIMEOUT_MS } from '../settings/inputs.js';
import { describeFailure, redactProxy } from './failures.js';
import { COGNITO_IDP_URL_VAR, HOSTED_UI_URL_VAR, readOverrides, targetOf, withHostedUiHosts, type Overrides } from './overrides.js';
import { NetworkError, type HttpClient, type HttpRequest, type HttpResponse, type RequestCredential } from './types.js';

/**
 * The one HTTP client of the live checks (SPEC §8), on undici: every request bounded in time (per request
 * and for the whole run) and size, no redirect followed, the override base URLs and the proxy variables
 * applied, identical GETs made once, at most `concurrency` requests in flight.
 */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** 16 in flight: 200 files over 20 pools check in ~1.1 s at 100 ms per answer (8: ~1.3 s); still a trickle for Cognito. */
export const DEFAULT_CONCURRENCY = 16;

export interface HttpClientOptions {
  /** Where the override (CREATIO_SSO_*_URL) and proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) variables are read. */
  env: NodeJS.ProcessEnv;
  /** Limit for one request, connection to last byte (--timeout). */
  timeoutMs?: number;
  /** Limit for every request of this client together, counted from its creation. Default: max(30 s, 3 × timeoutMs). */
  deadlineMs?: number;
  /** Answers over this size fail with kind 'too-large'. Default 1 MiB. */
  maxBytes?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Extra certificate authorities to trust (tests). Users add theirs with NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Clock for the deadline (tests). */
  now?: () => number;
  /** The run's stop signal (ctx.signal): aborts every request, which then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Custom domain hosts CREATIO_SSO_HOSTED_UI_URL stands in for (the configured domain); prefix hosts always are. */
  hostedUiHosts?: readonly string[];
  /** Credential kinds this client knows beyond the built-in ones (CREDENTIAL_RULES); a built-in kind cannot be redefined. */
  credentialKinds?: Readonly<Record<string, CredentialRule>>;
}

/**
 * undici parses HTTP with a WebAssembly module: V8 compiles it quickly (Liftoff), then recompiles its one
 * big parsing function with the optimising compiler on a background thread once it has run a while, and
 * Node waits for that thread before the process can end (0.2–0.4 s after doctor's report on a loaded
 * machine, for a parser that reads a few small answers: bench/RESULTS.md). On Node 24 that recompilation
 * is ~245 million instructions, more than a quarter of a whole doctor run. `--liftoff-only` stops it on
 * Node 22 but no longer when set at run time (Node 24); a tiering budget no run of this tool uses up
 * (~1 GB of parsing, against 13 MB by default) stops it on both.
 * Set once undici and the Node modules it requires have loaded, before its first connection compiles
 * the parser: a V8 flag set at run time makes V8 refuse the code Node ships compiled for its own modules,
 * so node:http2, node:tls and ~20 more loaded after it would be compiled from source. The commands that
 * make no request do not load node:v8 for it.
 */
async function loadUndici(): Promise<typeof import('undici')> {
  const undici = await import('undici');
  // undici loads node:tls with the first https connection, after the flag: load it before, as node:http2
  // did when undici required it at load (scripts/bundle.mjs now defers undici's HTTP/2 client, never used).
  process.getBuiltinModule('node:tls');
  process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only --wasm-tiering-budget=1000000000');
  return undici;
}

/** The proxy settings of an environment, lower-case variables first (as curl and undici read them). */
export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export function proxySettingsOf(env: NodeJS.ProcessEnv): ProxySettings {
  const pick = (...names: string[]) => names.map((n) => env[n]?.trim()).find((v) => v !== undefined && v !== '');
  const settings: ProxySettings = {};
  const httpProxy = pick('http_proxy', 'HTTP_PROXY');
  const httpsProxy = pick('https_proxy', 'HTTPS_PROXY') ?? httpProxy;
  const noProxy = pick('no_proxy', 'NO_PROXY');
  if (httpProxy) settings.httpProxy = httpProxy;
  if (httpsProxy) settings.httpsProxy = httpsProxy;
  if (noProxy) settings.noProxy = noProxy;
  return settings;
}

/** The client every command shares: overrides, proxies and --timeout from the command's context. */
export function httpClientFor(
  ctx: Pick<Context, 'env' | 'timeoutMs'> & Partial<Pick<Context, 'signal'>>,
  extra: Omit<HttpClientOptions, 'env' | 'timeoutMs'> = {},
): HttpClient & { readonly overrides: Overrides } {
  return createHttpClient({ signal: ctx.signal, ...extra, env: ctx.env, timeoutMs: ctx.timeoutMs });
}

/**
 * Create a client. Throws UsageError (exit 2) when an override variable is unusable, e.g. http to a host
 * that is not loopback, before any request is made.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient & {
  readonly overrides: Overrides;
  /**
   * Settles once the requests made so far have been handed to undici and written to their sockets: what
   * runs after it no longer holds them back (doctor loads its later modules while they are out). A request
   * that fails before it is written leaves it pending.
   */
  dispatched(): Promise<void>;
} {
  const overrides = withHostedUiHosts(readOverrides(options.env), options.hostedUiHosts ?? []);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytesDefault = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.deadlineMs ?? Math.max(30_000, 3 * timeoutMs));
  const proxy = proxySettingsOf(options.env);
  checkProxyUrls(proxy);
  const tls = options.ca ? { ca: options.ca } : {};

  // undici's own limits are a backstop a little behind the tool's timer, so the tool's timer (and its
  // message, "no answer within N ms") decides when both would fire at once.
  const backstop = timeoutMs + 1000;
  // undici loads with the first request (~15 ms): a command that makes a client but sends nothing (plan
  // with both halves skipped, say) never pays for it.
  let undici: Promise<typeof import('undici')> | undefined;
  let proxied: Dispatcher | undefined;
  let direct: Agent | undefined;
  // No proxy variable set: one plain dispatcher for every request, so a request with credentials over http
  // (loopback: a stand-in) reuses the connection the requests before it opened, as one without credentials does.
  const proxyless = proxy.httpProxy === undefined && proxy.httpsProxy === undefined;
  const dispatcherFor = async (cleartext: boolean): Promise<Dispatcher> => {
    // Only the dispatcher in use is read from the module: the built CLI loads EnvHttpProxyAgent (and the
    // proxy agents it brings) on first use (scripts/bundle.mjs).
    const u = await (undici ??= loadUndici());
    // Credentials over http (loopback only) never pass a proxy: they go through a dispatcher that has none.
    if (cleartext || proxyless)
      return (direct ??= new u.Agent({ connect: { timeout: timeoutMs, ...tls }, headersTimeout: backstop, bodyTimeout: backstop }));
    // The variables are read from the context, never from process.env behind its back: '' means "none".
    return (proxied ??= new u.EnvHttpProxyAgent({
      httpProxy: proxy.httpProxy ?? '',
      httpsProxy: proxy.httpsProxy ?? '',
      noProxy: proxy.noProxy ?? '',
      // http targets go through the proxy as absolute-form requests, https ones through a CONNECT tunnel.
      proxyTunnel: false,
      connect: { timeout: timeoutMs, ...tls },
      requestTls: tls,
      headersTimeout: backstop,
      bodyTimeout: backstop,
      // No retries or redirects: undici's request() does neither unless told to.
    }));
  };

  const gate = limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const cache = new Map<string, Promise<HttpResponse>>();
  const userAgent = `creatio-sso/${toolVersion()}`;
  let closed = false;
  // The test suite sets CREATIO_SSO_TEST=1: then nothing but loopback is ever contacted, whatever a test forgot.
  const loopbackOnly = options.env.CREATIO_SSO_TEST === '1';

  // dispatched(): how many requests this client handed to undici, and how many requests' headers undici has
  // written since (it says so on a diagnostics channel, for any client of the process: a hint is enough).
  let handed = 0;
  let written = 0;
  const waiting: (() => void)[] = [];
  const sentHeaders = () => {
    written++;
    if (written >= handed) for (const resolve of waiting.splice(0)) resolve();
  };
  const headersChannel = process.getBuiltinModule('node:diagnostics_channel').channel('undici:client:sendHeaders');

  async function send(req: HttpRequest): Promise<HttpResponse> {
    if (options.signal?.aborted) throw options.signal.reason;
    const target = targetOf(req.url, overrides);
    const cleartext = guardCredentials(req, target, proxy, options.credentialKinds);
    if (loopbackOnly && !isLoopbackHost(new URL(target).hostname)) {
      throw new NetworkError(
        'network',
        `Not sending ${req.url} to ${target}: CREATIO_SSO_TEST=1 allows loopback addresses only (set ${COGNITO_IDP_URL_VAR} and ${HOSTED_UI_URL_VAR}).`,
        req.url,
      );
    }
    const maxBytes = req.maxBytes ?? maxBytesDefault;
    const remaining = deadline - now();
    if (remaining <= 0) {
      throw new NetworkError(
        'timeout',
        `Gave up on ${req.url}: the run's overall time limit passed before it could be sent. Raise --timeout or check the network.`,
        req.url,
      );
    }
    const limit = Math.min(timeoutMs, remaining);
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, limit);
    const stop = () => abort.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      // Dispatcher#request (undici's request() without its URL wrapper: scripts/bundle.mjs bundles the dispatchers alone).
      const { origin, pathname, search } = new URL(target);
      const dispatcher = await dispatcherFor(cleartext);
      if (handed++ === 0) headersChannel.subscribe(sentHeaders);
      // undici frees a connection for its next request one event-loop turn after the answer on it ended
      // (client-h1.js, "a full event loop cycle"). A request made in the same turn (doctor's token, right
      // after authorize's answer; the next Creatio read after a sign-in) would open a new connection: over
      // https a TCP and a TLS handshake, two round trips more. One turn first, and it reuses the connection.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Stopped or timed out meanwhile: no connection is opened for an answer nobody awaits.
      abort.signal.throwIfAborted();
      const res = await dispatcher.request({
        origin,
        path: `${pathname}${search}`,
        method: req.method,
        headers: { accept: 'application/json', 'user-agent': userAgent, ...lowerCased(req.headers ?? {}) },
        body: req.body,
        signal: abort.signal,
      });
      const headers = flatHeaders(res.headers);
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.body.destroy();
        throw tooLarge(req.url, maxBytes, declared);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          res.body.destroy();
          throw tooLarge(req.url, maxBytes);
        }
        chunks.push(chunk);
      }
      return { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url, sentTo: target };
    } catch (e) {
      // Stopped (Ctrl-C, SIGTERM): that is the answer, not a network failure.
      if (options.signal?.aborted) throw options.signal.reason;
      if (e instanceof NetworkError) throw e;
      throw describeFailure(e, {
        url: req.url,
        target,
        timedOut,
        limitMs: limit,
        byDeadline: limit < timeoutMs,
        proxy: proxyFor(target, proxy),
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
    }
  }

  return {
    overrides,
    request(req) {
      if (closed) return Promise.reject(new Error('HTTP client used after close()'));
      if (req.method !== 'GET') return gate(() => send(req));
      const key = `${req.url}\n${JSON.stringify(Object.entries(lowerCased(req.headers ?? {})).sort())}\n${req.maxBytes ?? ''}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = gate(() => send(req));
        // Failures are cached too: every config sharing the pool shares the one answer, good or bad.
        pending.catch(() => {});
        cache.set(key, pending);
      }
      return pending;
    },
    async dispatched() {
      await undici?.catch(() => undefined);
      // A turn of the event loop: the requests waiting for undici to load are handed to it meanwhile.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (written < handed) await new Promise<void>((resolve) => waiting.push(resolve));
    },
    async close() {
      if (closed) return;
      closed = true;
      // Whoever closes is done with the answers: end idle keep-alive sockets and anything still pending
      // now, rather than wait for a slow server (the process would not exit meanwhile).
      await undici?.catch(() => undefined);
      if (handed) headersChannel.unsubscribe(sentHeaders);
      await Promise.all([proxied?.destroy(), direct?.destroy()]);
    },
  };
}

/** A proxy variable that is not a URL is a usage error (exit 2), not a network failure. */
function checkProxyUrls(proxy: ProxySettings): void {
  for (const [name, value] of [
    ['HTTP_PROXY', proxy.httpProxy],
    ['HTTPS_PROXY', proxy.httpsProxy],
  ] as const) {
    if (value === undefined) continue;
    let ok: boolean;
    try {
      const url = new URL(value);
      // undici decodes the credentials when it builds the proxy dispatcher (with the first request, see
      // dispatcherFor): a malformed %-escape must be a usage error here, not a network failure there.
      decodeURIComponent(url.username);
      decodeURIComponent(url.password);
      ok = ['http:', 'https:'].includes(url.protocol);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new UsageError(
        // Never the value (§10): one that does not parse may hold a password where we cannot find it.
        `${name} (or ${name.toLowerCase()}) is not an http(s) proxy URL: give it as http://proxy.example.com:3128, or http://user:password@proxy.example.com:3128 with the password %-encoded (its value is not shown: it may hold a password).`,
      );
  }
}

function tooLarge(url: string, maxBytes: number, declared?: number): NetworkError {
  const size = declared === undefined ? 'more than' : `${declared} bytes, more than`;
  const allowed = maxBytes % (1024 * 1024) === 0 ? `${maxBytes / (1024 * 1024)} MiB` : `${Math.ceil(maxBytes / 1024)} KiB`;
  return new NetworkError(
    'too-large',
    `The answer from ${url} is ${size} the ${allowed} allowed: it is not a Cognito document. Check the URL and any proxy or override in between.`,
    url,
  );
}

/**
 * A request the HTTP layer will not send: a credential would go where SPEC §10 does not allow. Not a
 * NetworkError (nothing was sent, the check is not inconclusive): callers skip the step and say why.
 */
export class CredentialRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialRefusedError';
  }
}

/**
 * The rule of one credential kind, beyond what every credential obeys (destination host in its
 * `allowedHosts`; https, or http only to a loopback host with no proxy in between).
 */
export interface CredentialRule {
  /** The credential in words, for refusals ("the client secret"). */
  label: string;
  /** A refusal for this canonical URL, or undefined when the kind allows it. */
  check?(url: URL): string | undefined;
}

/**
 * The credential kinds this layer knows (§10). This is the ONE place that enforces where credentials go:
 * new credentials (Creatio's password and OAuth secret, the test user's password) add a kind here
 * (or, for one client, in its `credentialKinds` option), and callers declare it on each request (`credential: { kind, allowedHosts }`),
 * with `allowedHosts` built from what the environment or the command line pinned ("credentials follow
 * their source"), never from the config file alone. A request carrying a body, an Authorization or a
 * Cookie header without a declared, registered kind is refused.
 */
const CREDENTIAL_RULES: ReadonlyMap<string, CredentialRule> = new Map<string, CredentialRule>([
  [
    'client-secret',
    {
      label: 'the client secret',
      check: (u) => (u.pathname === '/oauth2/token' ? undefined : 'the client secret goes to a token endpoint (/oauth2/token) only'),
    },
  ],
  ['creatio-password', { label: "the Creatio user's password" }],
  ['creatio-oauth-secret', { label: "Creatio's OAuth client secret" }],
  ['creatio-session', { label: 'the Creatio session (cookies and CSRF token)' }],
  ['creatio-bearer', { label: "Creatio's access token" }],
  // Anonymous Creatio calls with a JSON body (HealthCheck, GetOpenIdAuthorizeUrl): no secret, but still pinned to one site.
  ['creatio-public', { label: 'a Creatio request' }],
  [
    'test-password',
    {
      label: "the test user's password",
      check: (u) => (u.pathname === '/' && !u.search ? undefined : 'the test password goes to the cognito-idp API root (/) only'),
    },
  ],
]);

export type CredentialKind =
  'client-secret' | 'creatio-password' | 'creatio-oauth-secret' | 'creatio-session' | 'creatio-bearer' | 'creatio-public' | 'test-password';

const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

/**
 * Refuse a request whose credential may not go where it would go (§10). Returns true when the request is
 * a credential over http (to loopback): it must then be sent without any proxy.
 */
export function guardCredentials(
  req: HttpRequest,
  target: string,
  proxy: ProxySettings,
  extraKinds: Readonly<Record<string, CredentialRule>> = {},
): boolean {
  const carries = req.body !== undefined || Object.keys(req.headers ?? {}).some((h) => CREDENTIAL_HEADERS.has(h.toLowerCase()));
  const credential: RequestCredential | undefined = req.credential;
  if (!credential) {
    if (!carries) return false;
    throw new CredentialRefusedError(
      `Refusing to send a request body or credentials to ${req.url}: the request declares no credential, and only the token endpoint of a domain this run confirmed (or a host the environment pins) may receive one.`,
    );
  }
  const rule =
    CREDENTIAL_RULES.get(credential.kind) ?? (Object.hasOwn(extraKinds, credential.kind) ? extraKinds[credential.kind] : undefined);
  if (!rule) throw new CredentialRefusedError(`Refusing to send a credential of unknown kind "${credential.kind}" to ${req.url}.`);
  const refuse = (why: string): never => {
    throw new CredentialRefusedError(`Not sending ${rule.label} to ${req.url}: ${why}.`);
  };
  let url: URL;
  let to: URL;
  try {
    url = new URL(req.url);
    to = new URL(target);
  } catch {
    return refuse('not a URL');
  }
  if (url.username || url.password || to.username || to.password) refuse('the URL carries credentials of its own');
  const host = url.hostname.toLowerCase();
  const allowed = credential.allowedHosts.map((h) => h.toLowerCase());
  if (!allowed.includes(host) && !allowed.includes(url.host.toLowerCase())) {
    refuse(`${host} is not a host this run allows it to go to (${allowed.length ? allowed.join(', ') : 'none'})`);
  }
  const why = rule.check?.(url);
  if (why) refuse(why);
  for (const u of [url, to]) {
    if (u.protocol === 'https:') continue;
    if (u.protocol !== 'http:') refuse(`${u.protocol} is not https`);
    if (!isLoopbackHost(u.hostname)) refuse(`it would travel in cleartext (http) to ${u.hostname}, which is not a loopback host`);
  }
  if (to.protocol === 'http:') {
    const via = proxyFor(target, proxy);
    if (via) {
      refuse(
        `it would travel in cleartext (http) through the proxy ${redactProxy(via)}; add ${to.hostname} to NO_PROXY, or use an https override`,
      );
    }
    return true;
  }
  return false;
}

/** The proxy a request to `target` goes through, or none (no proxy set, or NO_PROXY matches). */
export function proxyFor(target: string, proxy: ProxySettings): string | undefined {
  const via = target.startsWith('https:') ? proxy.httpsProxy : proxy.httpProxy;
  if (!via) return undefined;
  const { hostname, port, protocol } = new URL(target);
  const p = Number(port) || (protocol === 'https:' ? 443 : 80);
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of (proxy.noProxy ?? '').split(/[,\s]+/)) {
    if (!raw) continue;
    if (raw === '*') return undefined;
    const m = /^(.+):(\d+)$/.exec(raw);
    const entry = (m ? m[1]! : raw)
      .replace(/^\*?\./, '')
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (m && Number(m[2]) !== p) continue;
    if (host === entry || host.endsWith(`.${entry}`)) return undefined;
  }
  return via;
}

const lowerCased = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** At most `max` tasks at once; the rest wait in order. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const start = () => {
        active++;
        task().then(resolve, reject).finally(next);
      };
      if (active < max) start();
      else waiting.push(start);
    });
}
