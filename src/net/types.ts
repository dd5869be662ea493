import type { Answer } from '../core/cognito/discovery.js';

/**
 * The contract of the HTTP layer every live check uses (src/net/http.ts implements it).
 * Requests name canonical URLs (https://cognito-idp.<region>.amazonaws.com/…, https://<domain host>/…);
 * the client sends them to the override base URLs (CREATIO_SSO_COGNITO_IDP_URL, CREATIO_SSO_HOSTED_UI_URL)
 * when those are set, with path and query unchanged.
 */
export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Canonical URL, as Cognito publishes it. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Answers over this size fail with kind 'too-large' (default 1 MiB). */
  maxBytes?: number;
  /**
   * The credential this request carries, if any (SPEC §10). A request with a body or an Authorization /
   * Cookie header must declare one; the HTTP layer refuses it unless the destination is allowed for it.
   */
  credential?: RequestCredential;
}

/** A credential a request carries, and the hosts this run allows it to go to (src/net/http.ts enforces it). */
export interface RequestCredential {
  /** A kind registered in src/net/http.ts: 'client-secret', 'creatio-password', 'creatio-oauth-secret', 'test-password', … */
  kind: string;
  /**
   * Canonical host names (optionally `host:port`) the credential may go to in this run, each confirmed or
   * pinned by something outside the config file (§10). The request URL's host must be one of them.
   */
  allowedHosts: readonly string[];
}

export interface HttpResponse extends Answer {
  /** The canonical URL that was asked. */
  url: string;
  /** Where the request really went: the canonical URL, or the override base + its path and query. */
  sentTo?: string;
}

export type NetworkFailureKind = 'timeout' | 'network' | 'tls' | 'too-large' | 'proxy';

/** A request that could not be completed: the check is inconclusive (exit 3), not failed. */
export class NetworkError extends Error {
  constructor(
    readonly kind: NetworkFailureKind,
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface HttpClient {
  /** Never follows redirects; rejects with NetworkError only. Identical GETs are made once per client. */
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}
