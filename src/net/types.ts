/**
 * The contract of the HTTP layer every live check uses (src/net/http.ts implements it).
 * Requests name canonical URLs (https://cognito-idp.<region>.amazonaws.com/…, https://<domain host>/…);
 * the client sends them to the override base URLs of SPEC §8 when those are set.
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
   * What the request carries (a password, a session, a bearer token, an OAuth secret, or 'none') and the
   * base URL its source pinned (§10). Set by src/creatio/client.ts on every Creatio request; the guard in
   * http.ts lets a body or credential through only under `pinnedTo`.
   */
  credential?: { kind: string; pinnedTo: string; /** Only `pinnedTo` itself, not what lies under it. */ exact?: boolean };
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
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
