import { UsageError } from '../errors.js';

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
  /** Replaces `https://<domain host>` (every other canonical https URL); no trailing slash. */
  hostedUi?: string;
}

export const isCognitoIdpUrl = (url: string): boolean => COGNITO_IDP_BASE.test(url);

/** Loopback as the OS routes it: localhost (and *.localhost), 127.0.0.0/8, ::1. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** Read and check the override variables; a bad one is a usage error (exit 2) before any request. */
export function readOverrides(env: NodeJS.ProcessEnv): Overrides {
  const overrides: Overrides = {};
  const idp = checkOverride(COGNITO_IDP_URL_VAR, env[COGNITO_IDP_URL_VAR]);
  if (idp) overrides.cognitoIdp = idp;
  const hosted = checkOverride(HOSTED_UI_URL_VAR, env[HOSTED_UI_URL_VAR]);
  if (hosted) overrides.hostedUi = hosted;
  return overrides;
}

function checkOverride(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name}=${value} is not a URL. Give a base URL such as https://idp.example.test or http://127.0.0.1:8080.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${name}=${value} must be an https URL (or http on localhost / 127.0.0.1 / [::1]).`);
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new UsageError(
      `${name}=${value} uses http on ${url.hostname}, which is not a loopback address: http is allowed only for localhost, 127.0.0.1 and [::1]. Use https.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError(`${name}=${value} must be a plain base URL, without credentials, query or fragment.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Where a canonical URL is really sent: the override base + the canonical path and query, or the URL itself. */
export function targetOf(canonicalUrl: string, overrides: Overrides): string {
  const idp = COGNITO_IDP_BASE.exec(canonicalUrl);
  if (idp) return overrides.cognitoIdp ? overrides.cognitoIdp + canonicalUrl.slice(idp[0].length) : canonicalUrl;
  const origin = /^https:\/\/[^/?#]+/i.exec(canonicalUrl);
  if (origin && overrides.hostedUi) return overrides.hostedUi + canonicalUrl.slice(origin[0].length).replace(/#.*$/, '');
  return canonicalUrl;
}
