import { isLoopbackHost } from '../core/hosts/loopback.js';
import { UsageError } from '../cli/errors.js';
import { maskUrlCredentials, visible } from '../core/text.js';

/**
 * The override base URLs of SPEC §8. Requests always name canonical Cognito URLs; this module decides
 * where such a URL is really sent. Comparisons (issuer, domain) never see the override.
 */
export const COGNITO_IDP_URL_VAR = 'CREATIO_SSO_COGNITO_IDP_URL';
export const HOSTED_UI_URL_VAR = 'CREATIO_SSO_HOSTED_UI_URL';

/** `https://cognito-idp.<region>.amazonaws.com` (and its FIPS twin), the base the issuer lives under. */
const COGNITO_IDP_BASE = /^https:\/\/cognito-idp(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?=[/?#]|$)/i;

export interface Overrides {
  /** Replaces `https://cognito-idp.<region>.amazonaws.com`; no trailing slash. */
  cognitoIdp?: string;
  /** Replaces `https://<domain host>`; no trailing slash. */
  hostedUi?: string;
  /**
   * The custom domain hosts `hostedUi` stands in for (the configured domain, CREATIO_SSO_DOMAIN), lower-case.
   * Cognito prefix hosts (`<prefix>.auth.<region>.amazoncognito.com`) always are; no other https URL
   * (a Creatio site, an identity server) is ever routed to the override (§8).
   */
  hostedUiHosts?: readonly string[];
}

/** `<prefix>.auth.<region>.amazoncognito.com` and its FIPS twin: hosts only Cognito's hosted UI serves. */
const COGNITO_PREFIX_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.auth(?:-fips)?\.[a-z0-9-]+\.amazoncognito\.com$/i;

export const isCognitoIdpUrl = (url: string): boolean => COGNITO_IDP_BASE.test(url);

/** Read and check the override variables; a bad one is a usage error (exit 2) before any request. */
export function readOverrides(env: NodeJS.ProcessEnv): Overrides {
  const overrides: Overrides = {};
  const idp = checkOverride(COGNITO_IDP_URL_VAR, env[COGNITO_IDP_URL_VAR]);
  if (idp) overrides.cognitoIdp = idp;
  const hosted = checkOverride(HOSTED_UI_URL_VAR, env[HOSTED_UI_URL_VAR]);
  if (hosted) overrides.hostedUi = hosted;
  // A custom domain named by the environment is a host the override stands in for (a prefix always is).
  const domain = env.CREATIO_SSO_DOMAIN?.trim().toLowerCase();
  if (hosted && domain && domain.includes('.')) overrides.hostedUiHosts = [domain.replace(/^https:\/\//, '').replace(/\/.*$/, '')];
  return overrides;
}

/** The overrides with more custom domain hosts the hosted UI override stands in for (e.g. the configured domain). */
export function withHostedUiHosts(overrides: Overrides, hosts: readonly string[]): Overrides {
  const all = [...(overrides.hostedUiHosts ?? []), ...hosts.map((h) => h.toLowerCase())];
  return all.length ? { ...overrides, hostedUiHosts: [...new Set(all)] } : overrides;
}

function checkOverride(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim();
  // Messages show the value without credentials and without control characters (§10): everything between
  // :// and the last @ masked. A value without `scheme://` cannot be told apart from `user:password@host`:
  // it is not shown at all.
  const shown = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `=${visible(maskUrlCredentials(value))}` : ' (its value is not shown)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name}${shown} is not a URL. Give a base URL such as https://idp.example.test or http://127.0.0.1:8080.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${name}${shown} must be an https URL (or http on localhost / 127.0.0.0/8 / [::1]).`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `${name}${shown} uses http on ${url.hostname}, which is not a loopback address: http is allowed only for localhost, 127.0.0.0/8 and [::1]. Use https.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError(`${name}${shown} must be a plain base URL, without credentials, query or fragment.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Where a canonical URL is really sent: the override base + the canonical path and query, or the URL itself. */
export function targetOf(canonicalUrl: string, overrides: Overrides): string {
  const idp = COGNITO_IDP_BASE.exec(canonicalUrl);
  if (idp) return overrides.cognitoIdp ? overrides.cognitoIdp + canonicalUrl.slice(idp[0].length) : canonicalUrl;
  const origin = /^https:\/\/([^/?#]+)/i.exec(canonicalUrl);
  if (origin && overrides.hostedUi && isHostedUiHost(origin[1]!, overrides)) {
    return overrides.hostedUi + canonicalUrl.slice(origin[0].length).replace(/#.*$/, '');
  }
  return canonicalUrl;
}

/** Whether the override stands in for this host (no userinfo, default port only). */
function isHostedUiHost(authority: string, overrides: Overrides): boolean {
  if (authority.includes('@')) return false;
  const host = authority.toLowerCase().replace(/:443$/, '');
  return COGNITO_PREFIX_HOST.test(host) || (overrides.hostedUiHosts ?? []).includes(host);
}
