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
} from '../core/hosted-ui.js';
import { isLoopbackHostname } from '../net/overrides.js';
import { NetworkError, type HttpClient, type HttpRequest } from '../net/types.js';

/**
 * The I/O half of doctor's hosted UI probes: send authorize, token and logout (redirects not followed)
 * and hand the answers to the pure judgement in src/core/hosted-ui.ts.
 */
export interface ProbeOptions {
  http: HttpClient;
  /** The app client secret; without it the token probe is skipped. */
  secret?: string;
  /** Why there is no usable secret, for the skipped token line (default "no client secret"). */
  noSecretReason?: string;
  /** Where the secret came from, in words, for the rejected-secret message. */
  secretFrom: string;
  /** Where a canonical URL is really sent (override routing), checked before the secret leaves. */
  targetOf: (canonicalUrl: string) => string;
  /** Random values for `state` and the made-up code (tests pin them). */
  random?: { state(): string; code(): string };
  /** One line per request and answer, for --verbose (never a header value). */
  log?: (line: string) => void;
}

const defaultRandom = { state: () => randomBytes(16).toString('hex'), code: () => randomUUID() };

/**
 * Run the three probes in order: authorize first (an unknown client or a silent domain makes the others
 * pointless), then token and logout together.
 */
export async function probeHostedUi(t: HostedUiTarget, opts: ProbeOptions): Promise<ProbeResult[]> {
  const random = opts.random ?? defaultRandom;
  const log = opts.log ?? (() => {});

  const askedAuthorize = authorizeUrl(t, random.state());
  const authorizeAnswer = await send('authorize', { method: 'GET', url: askedAuthorize }, opts.http, log);
  if (authorizeAnswer instanceof NetworkError) {
    const why = 'the hosted UI did not answer authorize';
    return [unreachable('authorize', t, authorizeAnswer.message), skipped('token', why), skipped('logout', why)];
  }
  const authorize = judgeAuthorize(authorizeAnswer, t, askedAuthorize);
  if (authorize.findings.some((f) => f.code === 'client/unknown')) {
    const why = 'the app client is unknown';
    return [authorize, skipped('token', why), skipped('logout', why)];
  }

  const [token, logout] = await Promise.all([probeToken(t, opts, random.code(), log), probeLogout(t, opts.http, log)]);
  return [authorize, token, logout];
}

async function probeToken(t: HostedUiTarget, opts: ProbeOptions, bogusCode: string, log: (line: string) => void): Promise<ProbeResult> {
  if (opts.secret === undefined) return skipped('token', opts.noSecretReason ?? 'no client secret');
  const url = tokenUrl(t);
  // The secret goes to the configured domain's token endpoint only, over https (or http on loopback).
  const target = new URL(opts.targetOf(url));
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && isLoopbackHostname(target.hostname))) {
    return skipped('token', `not sending the client secret to ${target.origin} over ${target.protocol.replace(':', '')}`);
  }
  const answer = await send(
    'token',
    {
      method: 'POST',
      url,
      headers: { authorization: basicAuthorization(t.clientId, opts.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(t, bogusCode),
    },
    opts.http,
    log,
  );
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
  log(`${name}: ${req.method} ${req.url}${req.headers?.authorization ? ' (HTTP Basic client authentication)' : ''}`);
  try {
    const res = await http.request(req);
    const answer: ProbeAnswer = { status: res.status, location: res.headers.location, body: res.body };
    log(`${name}: ${res.sentTo && res.sentTo !== req.url ? `(sent to ${res.sentTo}) ` : ''}answered ${describeAnswer(answer)}`);
    return answer;
  } catch (e) {
    if (e instanceof NetworkError) {
      log(`${name}: no answer: ${e.message}`);
      return e;
    }
    throw e;
  }
}
