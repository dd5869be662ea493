import { randomBytes, randomUUID } from 'node:crypto';
import {
  authorizeUrl,
  basicAuthorization,
  describeAnswer,
  judgeAuthorize,
  judgeLogout,
  judgeToken,
  logoutUrl,
  skipped,
  tokenRequestBody,
  tokenUrl,
  unreachable,
  type HostedUiTarget,
  type ProbeAnswer,
  type ProbeName,
  type ProbeResult,
} from '../core/cognito/hosted-ui.js';
import { saysTryAgainLater } from '../core/cognito/discovery.js';
import { finding } from '../core/findings.js';
import { tokenEndpointConfirmed, unconfirmedDomainMessage, type DiscoveryEvidence, type TokenEndpointTrust } from '../core/trust.js';
import { visible } from '../core/text.js';
import { CredentialRefusedError } from '../net/http.js';
import { type Overrides } from '../net/overrides.js';
import { isLoopbackHost } from '../core/hosts/loopback.js';
import { NetworkError, type HttpClient, type HttpRequest } from '../net/types.js';
import { fetchDiscovery, poolAnswered, type PoolTarget } from './discovery.js';

/**
 * The I/O half of doctor's hosted UI probes: send authorize, token and logout (redirects not followed)
 * and hand the answers to the pure judgement in src/core/cognito/hosted-ui.ts.
 */
export interface ProbeOptions {
  http: HttpClient;
  /** The app client secret; without it the token probe is skipped. */
  secret?: string;
  /** Why there is no usable secret, for the skipped token line (default "no client secret"). */
  noSecretReason?: string;
  /** Where the secret came from, in words, for the rejected-secret message. */
  secretFrom: string;
  /** Where a canonical URL is really sent (override routing): an extra check; the HTTP layer enforces its own. */
  targetOf?: (canonicalUrl: string) => string;
  /**
   * Whether this run confirmed the token endpoint (src/core/trust.ts, SPEC §10); see `tokenTrustFor`.
   * Without it only CREATIO_SSO_HOSTED_UI_URL (the environment naming the hosted UI) confirms it.
   */
  tokenTrust?: TokenEndpointTrust | Promise<TokenEndpointTrust>;
  /** Random values for `state` and the made-up code (tests pin them). */
  random?: { state(): string; code(): string };
  /** One line per request and answer, for --verbose (never a header value). */
  log?: (line: string) => void;
}

const defaultRandom = { state: () => randomBytes(16).toString('hex'), code: () => randomUUID() };

/**
 * Run the three probes. Authorize and logout are sent at once (neither needs the discovery document nor
 * a secret); token follows authorize, since an unknown client or a silent domain makes it pointless, and
 * the token trust (§10: discovery's confirmation of the domain), which the caller may pass as a promise
 * still in flight. Discovery, authorize and logout then take one round trip, and token a second on a
 * connection already open (logout after authorize would open another: a TLS handshake more). When
 * authorize says the client is unknown or the domain is silent, logout's answer is not reported.
 */
export async function probeHostedUi(t: HostedUiTarget, opts: ProbeOptions): Promise<ProbeResult[]> {
  const random = opts.random ?? defaultRandom;
  const log = opts.log ?? (() => {});

  const askedAuthorize = authorizeUrl(t, random.state());
  const authorizeSent = send('authorize', { method: 'GET', url: askedAuthorize }, opts.http, log);
  const logoutProbed = probeLogout(t, opts.http, log);
  // Awaited below, after the trust (logout perhaps never): a failure meanwhile is not unhandled.
  authorizeSent.catch(() => {});
  logoutProbed.catch(() => {});
  const trust = await opts.tokenTrust;

  // An unconfirmed domain is said whatever else happens (§10): the warning must not hide behind another skip.
  const unconfirmed = opts.secret === undefined ? undefined : unconfirmedToken(t, opts, trust);
  const tokenSkipped = (why: string) => unconfirmed ?? skipped('token', why);

  const authorizeAnswer = await authorizeSent;
  // Nothing more is sent; logout's answer, due about now, is awaited so no request outlives the probes.
  const withoutLogout = async (authorize: ProbeResult, why: string) => {
    await logoutProbed.catch(() => undefined);
    return [authorize, tokenSkipped(why), skipped('logout', why)].map(shownSafely);
  };
  if (authorizeAnswer instanceof NetworkError) {
    return withoutLogout(unreachable('authorize', t, authorizeAnswer.message), 'the hosted UI did not answer authorize');
  }
  const authorize = judgeAuthorize(authorizeAnswer, t, askedAuthorize);
  if (authorize.findings.some((f) => f.code === 'client/unknown')) return withoutLogout(authorize, 'the app client is unknown');

  const [token, logout] = await Promise.all([unconfirmed ?? probeToken(t, opts, trust, random.code(), log), logoutProbed]);
  return [authorize, token, logout].map(shownSafely);
}

/** The skipped token probe with its `token/skipped-unconfirmed-domain` warning, or undefined when the domain is confirmed. */
function unconfirmedToken(t: HostedUiTarget, opts: ProbeOptions, given: TokenEndpointTrust | undefined): ProbeResult | undefined {
  const trust = given ?? defaultTrust(t, opts.http);
  if (trust.confirmed) return undefined;
  // The config alone named this domain (§10): the secret, or whatever ${env:…} resolved, stays here.
  return {
    ...skipped('token', 'the domain is not confirmed (token/skipped-unconfirmed-domain)'),
    findings: [finding('token/skipped-unconfirmed-domain', 'cognito.domain', unconfirmedDomainMessage(hostOf(t.providerUrl), trust.why))],
  };
}

/** Summaries and messages quote answers (Location, error): shown with control characters made visible. */
const shownSafely = (r: ProbeResult): ProbeResult => ({
  ...r,
  summary: visible(r.summary),
  findings: r.findings.map((f) => ({ ...f, message: visible(f.message) })),
});

const hostOf = (url: string): string => new URL(url).hostname.toLowerCase();
const regionOf = (userPoolId: string): string => userPoolId.slice(0, userPoolId.lastIndexOf('_'));

export interface TokenTrustOptions {
  http: HttpClient & { readonly overrides?: Overrides };
  /** The flag or variable that named the domain (`--domain`, `CREATIO_SSO_DOMAIN`), when one did. */
  domainNamedBy?: string;
  /** Hosted UI domains DescribeUserPool (§11) reported in this run. */
  describedDomains?: readonly string[];
  /** The flag or variable that pinned the pool, when one did (§10: only then can a custom domain be confirmed by the pool). */
  poolPinnedBy?: string;
  /** Discovery was not asked (--offline): why, in words. */
  offline?: string;
}

/**
 * Decide whether the token probe may send the client secret (§10): gather this run's evidence (the
 * pool's discovery document, from the client's cache when the discovery check already asked) and hand it
 * to the pure rule in src/core/trust.ts.
 */
export async function tokenTrustFor(pool: PoolTarget & { domain: { host: string } }, o: TokenTrustOptions): Promise<TokenEndpointTrust> {
  let discovery: DiscoveryEvidence;
  if (o.offline) discovery = { kind: 'not-fetched', why: o.offline };
  else {
    const d = await fetchDiscovery(pool, o.http);
    if (d.inconclusive) discovery = { kind: 'failed', why: 'it could not be fetched' };
    else if (!poolAnswered(d) || !d.document) {
      const codes = [...new Set(d.findings.filter((f) => f.severity === 'error').map((f) => f.code))].join(', ');
      discovery = { kind: 'failed', why: codes ? `discovery answered with ${codes}` : 'no usable document' };
    } else discovery = { kind: 'document', ...(d.document.token_endpoint ? { tokenEndpoint: d.document.token_endpoint } : {}) };
  }
  return tokenEndpointConfirmed({
    domainHost: pool.domain.host,
    region: pool.region,
    discovery,
    ...(o.domainNamedBy ? { domainNamedBy: o.domainNamedBy } : {}),
    ...(o.describedDomains ? { describedDomains: o.describedDomains } : {}),
    ...(o.poolPinnedBy ? { poolPinnedBy: o.poolPinnedBy } : {}),
    hostedUiOverride: o.http.overrides?.hostedUi !== undefined,
  });
}

function defaultTrust(t: HostedUiTarget, http: HttpClient & { readonly overrides?: Overrides }): TokenEndpointTrust {
  return tokenEndpointConfirmed({
    domainHost: hostOf(t.providerUrl),
    region: regionOf(t.userPoolId),
    discovery: { kind: 'not-fetched', why: 'doctor was not given its result' },
    hostedUiOverride: http.overrides?.hostedUi !== undefined,
  });
}

/**
 * The token probe alone, for `rotate` (§16): one secret to the token endpoint this run confirmed (`trust`),
 * the answer judged as doctor judges it (`pass` = invalid_grant: the secret was accepted).
 */
export function probeTokenOnly(t: HostedUiTarget, opts: ProbeOptions, trust: TokenEndpointTrust): Promise<ProbeResult> {
  const random = opts.random ?? defaultRandom;
  return probeToken(t, opts, trust, random.code(), opts.log ?? (() => {})).then(shownSafely);
}

async function probeToken(
  t: HostedUiTarget,
  opts: ProbeOptions,
  given: TokenEndpointTrust | undefined,
  bogusCode: string,
  log: (line: string) => void,
): Promise<ProbeResult> {
  if (opts.secret === undefined) return skipped('token', opts.noSecretReason ?? 'no client secret');
  const url = tokenUrl(t);
  const trust = given ?? defaultTrust(t, opts.http);
  if (!trust.confirmed) return unconfirmedToken(t, opts, trust)!;
  log(`token: the domain is confirmed: ${trust.how}`);
  // The caller's view of the routing, checked too (the HTTP layer checks its own before anything leaves).
  const target = opts.targetOf ? new URL(opts.targetOf(url)) : undefined;
  if (target && target.protocol !== 'https:' && !(target.protocol === 'http:' && isLoopbackHost(target.hostname))) {
    return skipped('token', `not sending the client secret to ${target.origin} over ${target.protocol.replace(':', '')}`);
  }
  let answer: Awaited<ReturnType<typeof send>>;
  try {
    answer = await send(
      'token',
      {
        method: 'POST',
        url,
        headers: { authorization: basicAuthorization(t.clientId, opts.secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(t, bogusCode),
        credential: { kind: 'client-secret', allowedHosts: [trust.host] },
      },
      opts.http,
      log,
    );
  } catch (e) {
    // The HTTP layer refused (cleartext through a proxy, http to a host that is not loopback): nothing was sent.
    if (e instanceof CredentialRefusedError) return skipped('token', e.message.replace(/\.$/, ''));
    throw e;
  }
  if (answer instanceof NetworkError) return unreachable('token', t, answer.message);
  return judgeToken(answer, t, opts.secretFrom);
}

async function probeLogout(t: HostedUiTarget, http: HttpClient, log: (line: string) => void): Promise<ProbeResult> {
  const url = logoutUrl(t);
  const answer = await send('logout', { method: 'GET', url }, http, log);
  if (answer instanceof NetworkError) return unreachable('logout', t, answer.message);
  return judgeLogout(answer, t, url);
}

/** One request; a network failure comes back as a value, anything else (a bug) is thrown. */
async function send(name: ProbeName, req: HttpRequest, http: HttpClient, log: (line: string) => void): Promise<ProbeAnswer | NetworkError> {
  log(visible(`${name}: ${req.method} ${req.url}${req.headers?.authorization ? ' (HTTP Basic client authentication)' : ''}`));
  try {
    const res = await http.request(req);
    // "Try again later" (5xx, 429) is no verdict on the set-up: the probe could not be completed (§8, exit 3).
    if (saysTryAgainLater(res.status)) {
      log(visible(`${name}: ${res.sentTo && res.sentTo !== req.url ? `(sent to ${res.sentTo}) ` : ''}answered HTTP ${res.status}`));
      return new NetworkError('network', `${res.sentTo ?? req.url} answered HTTP ${res.status}, which means "try again later".`, req.url);
    }
    const answer: ProbeAnswer = { status: res.status, location: res.headers.location, body: res.body };
    log(visible(`${name}: ${res.sentTo && res.sentTo !== req.url ? `(sent to ${res.sentTo}) ` : ''}answered ${describeAnswer(answer)}`));
    return answer;
  } catch (e) {
    if (e instanceof NetworkError) {
      log(visible(`${name}: no answer: ${e.message}`));
      return e;
    }
    throw e;
  }
}
