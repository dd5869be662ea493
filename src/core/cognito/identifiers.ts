import { aceLabelText, checkHostName, hostSmuggling, type IdnForms } from '../hosts/names.js';

/**
 * Cognito identifiers: what the API accepts, what real values look like, and how pasted forms
 * (issuer URLs, hosted UI URLs) reduce to them. Pure functions, no I/O.
 */

/** Regions with Cognito user pools (not the China regions). */
export const COGNITO_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'us-gov-west-1',
  'us-gov-east-1',
];

export const REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
export const isRegionShaped = (s: string): boolean => REGION_SHAPE.test(s);
export const isKnownRegion = (s: string): boolean => COGNITO_REGIONS.includes(s);
export const isGovCloud = (region: string): boolean => region.startsWith('us-gov-');

/** Cognito API pattern for a user pool ID, 1–55 characters. */
export const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9a-zA-Z]+$/;
export const USER_POOL_ID_TYPICAL = /^([a-z]{2}(?:-[a-z]+)+-\d{1,2})_[0-9a-zA-Z]{9}$/;
/** Cognito API pattern for an app client ID, 1–128 characters. */
export const CLIENT_ID_PATTERN = /^[\w+]+$/;
export const CLIENT_ID_TYPICAL = /^[0-9a-z]{25,26}$/;
/** Cognito API pattern for a client secret. */
export const CLIENT_SECRET_PATTERN = /^[\w+]{24,64}$/;
/** Hosted UI domain prefix as Cognito accepts it. */
export const DOMAIN_PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DOMAIN_RESERVED_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** The issuer's host, `cognito-idp.<region>.amazonaws.com` (or its FIPS twin); group 1: the region. */
export const ISSUER_HOST = /^cognito-idp(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com$/i;
/** A prefix domain's host, `<prefix>.auth.<region>.amazoncognito.com` (`auth-fips` in GovCloud); groups: prefix, auth kind, region. */
export const PREFIX_DOMAIN_HOST = /^([^.]+)\.(auth|auth-fips)\.([a-z0-9-]+)\.amazoncognito\.com$/;
/** The issuer's host in a region. */
export const issuerHost = (region: string): string => `cognito-idp.${region}.amazonaws.com`;

export interface PoolIdInput {
  /** The pool ID extracted from what was pasted (not yet validated). */
  userPoolId: string;
  /** Set when the ID was taken out of an issuer URL or host, for telling the user. */
  extractedFrom?: string;
  /** The region named by a pasted issuer host. */
  hostRegion?: string;
}

/**
 * Reduce what a user pastes as a user pool ID to the ID: the ID itself, `cognito-idp.<region>.amazonaws.com/<id>`,
 * or the full issuer / discovery / JWKS URL.
 */
export function extractUserPoolId(raw: string): PoolIdInput {
  const input = raw.trim();
  const withoutScheme = input.replace(/^https?:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  if (slash > 0) {
    const host = withoutScheme.slice(0, slash);
    const m = ISSUER_HOST.exec(host);
    if (m) {
      const rest = withoutScheme.slice(slash + 1).split(/[/?#]/, 1)[0] ?? '';
      return { userPoolId: rest, extractedFrom: input, hostRegion: m[1]!.toLowerCase() };
    }
  }
  return { userPoolId: input };
}

/** The region a user pool lives in: the prefix of its ID before the `_`. */
export function regionOfUserPoolId(userPoolId: string): string | undefined {
  const at = userPoolId.lastIndexOf('_');
  if (at <= 0) return undefined;
  return userPoolId.slice(0, at);
}

/** What Cognito creates as a new console pool's default prefix: the pool ID lower-cased without `_`. */
export const suggestedPrefixFor = (userPoolId: string): string => userPoolId.toLowerCase().replace(/_/g, '');

export type HostedUiDomain = { kind: 'prefix'; prefix: string; host: string; region?: string } | { kind: 'custom'; host: string };

export type DomainInput =
  | { ok: true; domain: HostedUiDomain; extractedFrom?: string; idn?: IdnForms }
  | { ok: false; problem: 'invalid' | 'reserved-word' | 'is-user-pool-id' | 'issuer-host'; detail: string; value: string };

/** A custom domain: a DNS name of at least two labels, not an IP address (Cognito accepts none). */
export function isValidHostName(host: string): boolean {
  const r = checkHostName(host);
  if (!r.ok || r.host !== host) return false;
  const labels = host.split('.');
  return labels.length >= 2 && !/^\d+$/.test(labels[labels.length - 1]!);
}

/** The host of a prefix domain: `auth-fips` in GovCloud, `auth` elsewhere. */
export function prefixDomainHost(prefix: string, region: string): string {
  return `${prefix}.${isGovCloud(region) ? 'auth-fips' : 'auth'}.${region}.amazoncognito.com`;
}

/**
 * Read a hosted UI domain: a prefix (`acme-login`), a custom host (`auth.acme.com`), or a pasted URL
 * (`https://acme-login.auth.eu-west-1.amazoncognito.com/login?…`). `region` builds the host of a prefix.
 */
const POOL_ID_LIKE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}_[0-9a-z]+$/i;

export function parseDomain(raw: string, region: string | undefined, userPoolId?: string): DomainInput {
  const input = raw.trim();
  let host = input;
  let extracted = false;
  const smuggled = hostSmuggling(input);
  if (smuggled) return { ok: false, problem: 'invalid', detail: smuggled, value: input };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    let u: URL;
    try {
      u = new URL(input);
    } catch {
      return { ok: false, problem: 'invalid', detail: 'it is not a valid URL', value: input };
    }
    // The hosted UI answers on https's port only.
    if (u.port) {
      return {
        ok: false,
        problem: 'invalid',
        detail: `it names port ${u.port}; the hosted UI answers on the https port (443) only`,
        value: input,
      };
    }
    host = u.hostname;
    extracted = true;
  } else if (/[/?#]/.test(input)) {
    host = input.split(/[/?#]/, 1)[0]!;
    extracted = true;
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  const label = host.split('.', 1)[0]!;
  if (POOL_ID_LIKE.test(label) || (userPoolId !== undefined && label.toLowerCase() === userPoolId.toLowerCase())) {
    return { ok: false, problem: 'is-user-pool-id', detail: label, value: input };
  }
  host = host.toLowerCase();
  const from = extracted ? { extractedFrom: input } : {};

  if (ISSUER_HOST.test(host)) {
    return { ok: false, problem: 'issuer-host', detail: host, value: input };
  }
  if (host.endsWith('.amazoncognito.com')) {
    const m = PREFIX_DOMAIN_HOST.exec(host);
    if (!m)
      return {
        ok: false,
        problem: 'invalid',
        detail: 'it is not a Cognito hosted UI host (<prefix>.auth.<region>.amazoncognito.com)',
        value: input,
      };
    const prefix = m[1]!;
    const checked = checkPrefix(prefix, input);
    if (checked) return checked;
    return { ok: true, domain: { kind: 'prefix', prefix, host, region: m[3]! }, ...from };
  }
  if (host.includes('.')) {
    const name = checkHostName(host);
    if (!name.ok) return { ok: false, problem: 'invalid', detail: name.detail, value: input };
    if (!isValidHostName(name.host))
      return { ok: false, problem: 'invalid', detail: 'it is not a host name (an IP address?)', value: input };
    return { ok: true, domain: { kind: 'custom', host: name.host }, ...from, ...(name.idn ? { idn: name.idn } : {}) };
  }
  const checked = checkPrefix(host, input);
  if (checked) return checked;
  const domain: HostedUiDomain = region
    ? { kind: 'prefix', prefix: host, host: prefixDomainHost(host, region) }
    : { kind: 'prefix', prefix: host, host: prefixDomainHost(host, '<region>') };
  return { ok: true, domain, ...from };
}

function checkPrefix(prefix: string, value: string): DomainInput | undefined {
  if (!DOMAIN_PREFIX_PATTERN.test(prefix)) {
    return {
      ok: false,
      problem: 'invalid',
      detail: 'a prefix has 1–63 lower-case letters, digits and hyphens, and neither starts nor ends with a hyphen',
      value,
    };
  }
  // The prefix is a label of the hosted UI's host: one in the `xn--` form must be a real internationalized
  // label (the tool's own rule, as for custom hosts), or no browser (and no Node) reads the host at all.
  if (prefix.startsWith('xn--') && aceLabelText(prefix) === undefined) {
    return {
      ok: false,
      problem: 'invalid',
      detail: 'a prefix that starts with xn-- must be a valid internationalized (Punycode) label, or browsers cannot open the hosted UI',
      value,
    };
  }
  const word = DOMAIN_RESERVED_WORDS.find((w) => prefix.includes(w));
  if (word) return { ok: false, problem: 'reserved-word', detail: word, value };
  return undefined;
}
