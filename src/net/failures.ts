import { maskUrlCredentials } from '../core/text.js';
import { NetworkError } from './types.js';

/**
 * Turn what undici or Node throws into a NetworkError whose message says what went wrong in a user's
 * words and what to try. The check it belongs to is then inconclusive (exit 3), not failed.
 */
export interface FailureContext {
  /** The canonical URL asked for. */
  url: string;
  /** Where it was really sent (an override base, or the URL itself). */
  target: string;
  /** Our own timer fired. */
  timedOut: boolean;
  limitMs: number;
  /** The limit was the run's overall deadline, not --timeout. */
  byDeadline: boolean;
  /** The proxy the request went through, if any. */
  proxy?: string;
}

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is signed by an authority this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it is signed by an authority this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'it is signed by an authority this machine does not trust',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (check the clock of this machine)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is for another host name',
  CERT_REVOKED: 'it was revoked',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on that port (an http server?)',
  EPROTO: 'the TLS handshake failed',
};

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'nothing answers there (connection refused)',
  ECONNRESET: 'the connection was reset before a complete answer',
  UND_ERR_SOCKET: 'the connection was closed before a complete answer',
  EPIPE: 'the connection was closed while sending',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EADDRNOTAVAIL: 'the address is not available',
};

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

interface ErrorLike {
  code?: string;
  message?: string;
  address?: string;
  port?: number;
  hostname?: string;
  cause?: unknown;
  errors?: unknown[];
}

/** Every error in a chain of `cause`s and AggregateErrors (Node's happy-eyeballs connect). */
function chain(e: unknown, seen = new Set<unknown>()): ErrorLike[] {
  if (!e || typeof e !== 'object' || seen.has(e)) return [];
  seen.add(e);
  const err = e as ErrorLike;
  return [err, ...chain(err.cause, seen), ...(Array.isArray(err.errors) ? err.errors.flatMap((x) => chain(x, seen)) : [])];
}

export function describeFailure(e: unknown, f: FailureContext): NetworkError {
  const where = f.target === f.url ? f.url : `${f.url} (sent to ${f.target})`;
  const errors = chain(e);
  const codes = errors.map((x) => x.code).filter((c): c is string => typeof c === 'string');
  const messages = errors.map((x) => x.message ?? '').join(' | ');

  if (f.timedOut || codes.some((c) => TIMEOUT_CODES.has(c))) {
    const limit = f.timedOut ? f.limitMs : undefined;
    const within = limit !== undefined ? ` within ${limit} ms` : ' in time';
    const why = f.byDeadline ? "the run's overall time limit" : '--timeout';
    return new NetworkError(
      'timeout',
      `No answer from ${where}${within} (${why}). Check the network${f.proxy ? ` and the proxy ${redactProxy(f.proxy)}` : ''}, or raise --timeout.`,
      f.url,
    );
  }

  if (f.proxy) {
    const proxyStatus = /Proxy response \((\d+)\)/.exec(messages);
    if (proxyStatus || /Proxy Authentication Required/i.test(messages)) {
      const status = proxyStatus?.[1] ?? '407';
      const hint =
        status === '407'
          ? 'it wants credentials: put them in the proxy URL (http://user:password@proxy:port)'
          : `it answered ${status} instead of opening a tunnel`;
      return new NetworkError(
        'proxy',
        `The proxy ${redactProxy(f.proxy)} refused the request for ${where}: ${hint}. Check HTTPS_PROXY/HTTP_PROXY and NO_PROXY.`,
        f.url,
      );
    }
    const proxyUrl = safeUrl(f.proxy);
    const atProxy = errors.find(
      (x) =>
        x.code &&
        NETWORK_CODES[x.code] &&
        proxyUrl &&
        (x.port === undefined || String(x.port) === (proxyUrl.port || (proxyUrl.protocol === 'https:' ? '443' : '80'))) &&
        (x.address === undefined || x.hostname === proxyUrl.hostname || sameHost(x.address, proxyUrl.hostname)),
    );
    if (atProxy?.code && (atProxy.code === 'ECONNREFUSED' || atProxy.code === 'ENOTFOUND' || atProxy.code === 'EAI_AGAIN')) {
      return new NetworkError(
        'proxy',
        `Cannot reach the proxy ${redactProxy(f.proxy)}: ${NETWORK_CODES[atProxy.code]}. Check HTTPS_PROXY/HTTP_PROXY, or add the host to NO_PROXY.`,
        f.url,
      );
    }
  }

  const tlsCode = codes.find((c) => TLS_CODES[c]) ?? (/certificate|SSL routines|TLS/i.test(messages) ? 'EPROTO' : undefined);
  if (tlsCode) {
    const host = safeUrl(f.target)?.host ?? f.target;
    return new NetworkError(
      'tls',
      `TLS failed for ${where}: the certificate of ${host} is not accepted: ${TLS_CODES[tlsCode]} (${tlsCode}). If a company proxy or firewall inspects TLS, give Node its CA file with NODE_EXTRA_CA_CERTS=<file.pem>; otherwise check the URL${f.target === f.url ? '' : ' and the override variable'}.`,
      f.url,
    );
  }

  const netCode = codes.find((c) => NETWORK_CODES[c]);
  if (netCode) {
    return new NetworkError(
      'network',
      `Cannot fetch ${where}: ${NETWORK_CODES[netCode]}. Check the network${f.proxy ? `, the proxy ${redactProxy(f.proxy)}` : ' and proxy settings (HTTPS_PROXY)'}, then run again.`,
      f.url,
    );
  }
  const detail = errors[0]?.message ?? String(e);
  return new NetworkError(
    'network',
    `Cannot fetch ${where}: ${detail}. Check the network and proxy settings (HTTPS_PROXY), then run again.`,
    f.url,
  );
}

function safeUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

const sameHost = (address: string, hostname: string): boolean => {
  const h = hostname.replace(/^\[|\]$/g, '');
  return address === h || (h === 'localhost' && (address === '127.0.0.1' || address === '::1'));
};

/** A proxy URL may carry credentials: never show them. */
export function redactProxy(proxy: string): string {
  const u = safeUrl(proxy);
  // Not a URL: everything between :// and the last @ is masked (core/text.ts, §10).
  if (!u) return maskUrlCredentials(proxy);
  u.username = '';
  u.password = '';
  return u.href.replace(/\/$/, '');
}
