import { checkHostName, hostSmuggling, type IdnForms } from '../hosts/names.js';

/**
 * Creatio facts: the site root, the callback URLs Cognito must know, and the SsoOpenIdProvider template.
 */

/** Id of Creatio's "Cognito AWS" SSO settings template. */
export const COGNITO_SSO_TEMPLATE_ID = 'd48ff378-0271-49dc-8285-c1a430834b31';
export const CALLBACK_PATH = '/ServiceModel/AuthService.svc/OpenIdCallback';
export const SIGN_OUT_PATH = '/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
/** Creatio always requests these scopes; the app client must allow all of them. */
export const CREATIO_SCOPES = ['openid', 'email', 'phone', 'profile'] as const;
export const CLAIM_TARGET_PATTERN = /^(Contact|SysAdminUnit):[A-Za-z_][A-Za-z0-9_]*$/;
/** Where a Creatio site runs: Creatio's cloud, or the customer's own servers (on-site needs the EnableOpenIDAuth feature). */
export const DEPLOYMENTS = ['cloud', 'on-site'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

export const DEFAULT_DISPLAY_NAME = 'Cognito AWS';
/** What Creatio accepts as an SSO provider's code (SsoProvider.Code). */
export const PROVIDER_CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The provider code when the config names none: `cognito-` and the first 8 characters of the client ID, lower-cased. */
export const defaultProviderCode = (clientId: string): string => `cognito-${clientId.trim().slice(0, 8).toLowerCase()}`;

/** The provider code a config means: its own, or the default derived from the client ID. */
export const providerCodeOf = (config: { provider: { code?: string }; cognito: { clientId: string } }): string =>
  config.provider.code ?? defaultProviderCode(config.cognito.clientId);

// Cognito's rule for http callback URLs (exactly these hosts): not the loopback rule of §10 (core/hosts/loopback.ts).
const COGNITO_HTTP_CALLBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
export const isCognitoHttpCallbackHost = (hostname: string): boolean => COGNITO_HTTP_CALLBACK_HOSTS.has(hostname.toLowerCase());

/**
 * Path segments that start a page inside a Creatio site rather than the site root:
 * `/0/…` (the workspace), `/Login/NuiLogin.aspx`, `/ServiceModel/…`, `/Shell/…`, `/Nui/…`, and files.
 */
const PAGE_SEGMENTS = new Set(['0', 'login', 'servicemodel', 'shell', 'nui', 'clientapp', 'rest', 'dataservice']);
const PAGE_FILE = /\.(?:aspx|ashx|asmx|svc|htm|html)$/i;

export type CreatioUrlInput =
  | {
      ok: true;
      url: string;
      secure: boolean;
      removed: string[];
      /** `https://` was put in front of a bare host name (`acme.creatio.com`). */
      schemeAdded?: boolean;
      /** A port other than the scheme's default, as written. */
      port?: string;
      /** Both forms of an internationalized host name. */
      idn?: IdnForms;
    }
  | { ok: false; detail: string };

/** Reduce a pasted Creatio address to the site root, saying what was removed. */
/** A host name with a dot (or localhost), an optional port and path, and no scheme. */
const BARE_HOST = /^(?:localhost|[a-z0-9\u0080-\uffff](?:[a-z0-9\u0080-\uffff-]*\.)+[a-z0-9\u0080-\uffff-]+)(?::\d{1,5})?(?:[/?#]\S*)?$/i;

export function normalizeCreatioUrl(raw: string): CreatioUrlInput {
  const input = raw.trim();
  // A bare host name (`acme.creatio.com`, `crm.acme.com/Demo_1`) is what people paste most: https is the only scheme Cognito takes.
  if (BARE_HOST.test(input)) {
    const r = normalizeCreatioUrl(`https://${input}`);
    return r.ok ? { ...r, schemeAdded: true } : r;
  }
  if (!/^https?:\/\//i.test(input)) {
    return { ok: false, detail: 'it must be an absolute http(s) URL such as https://acme.creatio.com' };
  }
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { ok: false, detail: 'it is not a valid URL' };
  }
  const smuggled = hostSmuggling(input);
  if (smuggled) return { ok: false, detail: smuggled };
  if (!u.hostname) return { ok: false, detail: 'it has no host name' };
  if (u.username || u.password) return { ok: false, detail: 'it must not contain a user name or password (user@)' };
  // An IPv6 literal ([::1]) is an address the URL parser checked; every other host must be a DNS name.
  const host = u.hostname.startsWith('[') ? undefined : checkHostName(u.hostname);
  if (host && !host.ok) return { ok: false, detail: host.detail };

  const removed: string[] = [];
  if (u.search) removed.push(`query "${u.search}"`);
  if (u.hash && u.hash !== '#') removed.push(`fragment "${u.hash}"`);
  else if (input.endsWith('#')) removed.push('fragment "#"');

  const segments = u.pathname.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  const pageAt = segments.findIndex((s) => PAGE_SEGMENTS.has(s.toLowerCase()) || PAGE_FILE.test(s));
  let kept = segments;
  if (pageAt >= 0) {
    kept = segments.slice(0, pageAt);
    removed.push(`page path "/${segments.slice(pageAt).join('/')}"`);
  }
  // Empty segments inside the path (`//`) carry no meaning for Creatio's router.
  const cleaned = kept.filter((s) => s !== '');
  const path = cleaned.length ? `/${cleaned.join('/')}` : '';
  if (pageAt < 0 && u.pathname.length > 1 && u.pathname.endsWith('/')) removed.push('trailing slash');
  else if (pageAt < 0 && u.pathname === '/' && /\/$/.test(input.replace(/[?#].*$/, ''))) removed.push('trailing slash');

  return {
    ok: true,
    url: `${u.origin}${path}`,
    secure: u.protocol === 'https:',
    removed,
    ...(u.port ? { port: u.port } : {}),
    ...(host?.ok && host.idn ? { idn: host.idn } : {}),
  };
}

export const callbackUrlOf = (creatioUrl: string): string => `${creatioUrl}${CALLBACK_PATH}`;
export const signOutUrlOf = (creatioUrl: string): string => `${creatioUrl}${SIGN_OUT_PATH}`;
