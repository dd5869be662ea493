import { isLoopbackUrl } from '../hosts/loopback.js';
import { normalizeCreatioUrl } from './identifiers.js';
import { finding, type Finding } from '../findings.js';

/**
 * Where Creatio credentials may go (§10 "Credentials follow their source"): the password, the session
 * cookies and anything apply writes (the client secret included) only to the site the environment or
 * the command line names; the OAuth client secret only to the identity service the environment names,
 * or the cloud twin of the pinned site. A config file alone never steers a credential.
 */
export const CREATIO_URL_VAR = 'CREATIO_SSO_CREATIO_URL';
export const CREATIO_URL_FLAG = '--creatio-url';
export const CREATIO_IDENTITY_URL_VAR = 'CREATIO_SSO_CREATIO_IDENTITY_URL';

export type SitePin =
  | {
      ok: true;
      /** The site root every credential-bearing request must stay under. */
      site: string;
      /** The pinned site differs from the file's creatio.url: announce it as an override (§10). */
      overridesFile: boolean;
    }
  | { ok: false; finding: Finding };

/**
 * The Creatio site credentials may go to. `pinned` is the value of --creatio-url or CREATIO_SSO_CREATIO_URL
 * (undefined when neither is given); `fromFile` is the config file's creatio.url.
 */
export function pinCreatioSite(pinned: string | undefined, fromFile: string | undefined): SitePin {
  if (pinned === undefined || pinned.trim() === '') {
    const where = fromFile ? ` (the config file names ${fromFile}, which alone is not trusted with credentials)` : '';
    return {
      ok: false,
      finding: finding(
        'trust/unpinned-host',
        'creatio.url',
        `Creatio credentials go only to a site the environment or the command line names${where}. Set ${CREATIO_URL_VAR} or pass ${CREATIO_URL_FLAG}.`,
      ),
    };
  }
  const site = normalizeCreatioUrl(pinned);
  if (!site.ok) {
    return {
      ok: false,
      finding: finding('trust/unpinned-host', 'creatio.url', `${CREATIO_URL_VAR} / ${CREATIO_URL_FLAG}: ${site.detail}.`),
    };
  }
  const file = fromFile === undefined ? undefined : normalizeCreatioUrl(fromFile);
  const overridesFile = file !== undefined && (!file.ok || !sameSite(file.url, site.url));
  return { ok: true, site: site.url, overridesFile };
}

export type IdentityPin = { ok: true; identityUrl: string } | { ok: false; finding: Finding };

const CLOUD_SITE = /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.creatio\.com$/i;

/**
 * The identity service the OAuth client secret may go to: CREATIO_SSO_CREATIO_IDENTITY_URL, or, when that
 * is unset and the pinned site is https://<name>.creatio.com, https://<name>-is.creatio.com.
 */
export function pinIdentityService(pinnedSite: string, identityUrl: string | undefined): IdentityPin {
  if (identityUrl !== undefined && identityUrl.trim() !== '') {
    let u: URL;
    try {
      u = new URL(identityUrl.trim());
    } catch {
      return unpinnedIdentity(`${CREATIO_IDENTITY_URL_VAR} is not a URL`);
    }
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.search || u.hash) {
      return unpinnedIdentity(`${CREATIO_IDENTITY_URL_VAR} must be a plain https base URL, without credentials, query or fragment`);
    }
    if (u.protocol === 'http:' && !isLoopbackUrl(u.href))
      return unpinnedIdentity(`${CREATIO_IDENTITY_URL_VAR} must use https (http only on a loopback host)`);
    return { ok: true, identityUrl: `${u.origin}${u.pathname.replace(/\/+$/, '')}` };
  }
  const cloud = CLOUD_SITE.exec(pinnedSite);
  if (cloud) return { ok: true, identityUrl: `https://${cloud[1]!.toLowerCase()}-is.creatio.com` };
  return unpinnedIdentity(`${pinnedSite} is not a https://<name>.creatio.com site, so its identity service cannot be derived`);
}

function unpinnedIdentity(why: string): IdentityPin {
  return {
    ok: false,
    finding: finding(
      'trust/unpinned-host',
      '',
      `The Creatio OAuth client secret goes only to an identity service the environment names: ${why}. Set ${CREATIO_IDENTITY_URL_VAR} (e.g. https://acme-is.creatio.com).`,
    ),
  };
}

/** What a request carries that must stay with its source. */
export type CreatioCredential = 'none' | 'password' | 'session' | 'oauth-secret' | 'bearer';

/** Whether `url` lies under `base` (same origin, path below the base path). */
export function isUnder(url: string, base: string): boolean {
  let u: URL;
  let b: URL;
  try {
    u = new URL(url);
    b = new URL(base);
  } catch {
    return false;
  }
  if (u.origin !== b.origin || u.username || u.password) return false;
  const root = b.pathname.replace(/\/+$/, '');
  return u.pathname === root || u.pathname.startsWith(`${root}/`);
}

/**
 * The guard's decision for one request: a credential goes to its source only. The site's password, session
 * and bearer token only under the pinned site; the OAuth secret only under the pinned identity service.
 * Returns the reason for a refusal, or undefined when the request may go.
 */
export function credentialRefusal(
  url: string,
  credential: CreatioCredential,
  pins: { site: string; identityUrl?: string | undefined },
): string | undefined {
  if (credential === 'none') return undefined;
  if (/^http:/i.test(url) && !isLoopbackUrl(url)) return `a credential never travels over http: except to a loopback host`;
  if (credential === 'oauth-secret') {
    if (pins.identityUrl !== undefined && isUnder(url, pins.identityUrl)) return undefined;
    return `the OAuth client secret goes only to the identity service ${pins.identityUrl ?? '(none pinned)'}`;
  }
  if (isUnder(url, pins.site)) return undefined;
  return `Creatio credentials go only to the pinned site ${pins.site}`;
}

const sameSite = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
