/**
 * Trust decisions of SPEC §10, pure. A config file is untrusted input (in CI a pull request can edit
 * it), so whatever it names cannot by itself decide where a credential goes.
 */

/** What this run learned about the pool's discovery document. */
export type DiscoveryEvidence =
  /** Fetched in this run and it was the pool's own document (issuer matched). */
  | { kind: 'document'; tokenEndpoint?: string }
  /** Asked, but no usable document of this pool came back; `why` in the user's words. */
  | { kind: 'failed'; why: string }
  /** Not asked (--offline, or the config has errors). */
  | { kind: 'not-fetched'; why: string };

export interface TokenEndpointFacts {
  /** The configured hosted UI domain host, e.g. `acme.auth.eu-west-1.amazoncognito.com` or `auth.acme.com`. */
  domainHost: string;
  /** The pool's region (the prefix of the user pool ID). */
  region: string;
  discovery: DiscoveryEvidence;
  /** The flag or variable that named the domain (`--domain`, `CREATIO_SSO_DOMAIN`), when one did. */
  domainNamedBy?: string;
  /** CREATIO_SSO_HOSTED_UI_URL is set: the environment names where hosted UI requests go. */
  hostedUiOverride?: boolean;
  /** Hosted UI domains `DescribeUserPool` (§11) reported for the pool in this run. */
  describedDomains?: readonly string[];
  /**
   * The flag or variable that pinned the pool (`--user-pool-id`, `CREATIO_SSO_USER_POOL_ID`), when one did:
   * only a pinned pool's discovery document or `DescribeUserPool` can vouch for a custom domain.
   */
  poolPinnedBy?: string;
}

export type TokenEndpointTrust =
  /** `how`: what confirmed it, for --verbose. `host`: the one host the secret may go to. */
  | { confirmed: true; host: string; how: string }
  /** `why`: a sentence for the `token/skipped-unconfirmed-domain` warning. */
  | { confirmed: false; why: string };

const hostOf = (url: string): { protocol: string; host: string } | undefined => {
  try {
    const u = new URL(url);
    return { protocol: u.protocol, host: u.hostname.toLowerCase() };
  } catch {
    return undefined;
  }
};

/** `<prefix>.auth.<region>.amazoncognito.com` (or `auth-fips`) of exactly this region: a host only Cognito serves. */
export function isPrefixHostOfRegion(host: string, region: string): boolean {
  const m = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.auth(?:-fips)?\.([a-z0-9-]+)\.amazoncognito\.com$/.exec(host.toLowerCase());
  return m !== null && m[1] === region.toLowerCase();
}

const isCognitoHost = (host: string): boolean => /\.amazoncognito\.com$|^cognito-idp(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com$/i.test(host);

/**
 * A host only AWS serves: everything under `amazoncognito.com` (the prefix hosts). Any other host is a
 * custom domain, whose owner controls its DNS and TLS.
 */
export const isAwsOperatedHost = (host: string): boolean => /(?:^|\.)amazoncognito\.com$/i.test(host);

/**
 * Whether the client secret (and whatever a `${env:NAME}` reference resolved) may go to the configured
 * domain's token endpoint (SPEC §10 "The client secret goes to one place only"). Confirmed when:
 * - the environment or a flag names the domain (`--domain`, `CREATIO_SSO_DOMAIN`) or where hosted UI
 *   requests go (`CREATIO_SSO_HOSTED_UI_URL`);
 * - for a prefix host (AWS-operated): `DescribeUserPool` named it in this run; this run fetched the
 *   pool's discovery document and its `token_endpoint` host is the configured host; or the document shows
 *   a custom domain while the configured domain is a prefix host of the pool's own region (a pool may have
 *   both; the document then shows only the custom one). Sending the secret to Cognito's own host is safe
 *   even when the pool is not ours: its owner sees nothing of the request;
 * - for a custom domain: the same evidence counts only when the pool itself is pinned outside the file.
 *   An attacker can own a pool and a custom domain (in their account or a shared one), so the honest
 *   answers about a pool the file chose prove nothing about who controls the domain.
 */
export function tokenEndpointConfirmed(f: TokenEndpointFacts): TokenEndpointTrust {
  const domainHost = f.domainHost.toLowerCase();
  if (f.domainNamedBy) return { confirmed: true, host: domainHost, how: `the domain is named by ${f.domainNamedBy}` };
  if (f.hostedUiOverride) return { confirmed: true, host: domainHost, how: 'CREATIO_SSO_HOSTED_UI_URL names where the hosted UI is' };
  if (!isAwsOperatedHost(domainHost) && !f.poolPinnedBy) {
    return {
      confirmed: false,
      why: `it is a custom domain that only the config file names, and a custom domain's owner controls its DNS and TLS: the answers about a pool the file chose cannot vouch for it`,
    };
  }
  const pinned = f.poolPinnedBy && !isAwsOperatedHost(domainHost) ? ` of the pool pinned by ${f.poolPinnedBy}` : '';
  if (f.describedDomains?.some((d) => d.toLowerCase() === domainHost)) {
    return { confirmed: true, host: domainHost, how: `DescribeUserPool${pinned} names this domain` };
  }
  const d = f.discovery;
  if (d.kind === 'not-fetched') return { confirmed: false, why: `the pool's discovery document was not fetched in this run (${d.why})` };
  if (d.kind === 'failed') return { confirmed: false, why: `the pool's discovery document could not confirm the domain (${d.why})` };
  const token = d.tokenEndpoint === undefined ? undefined : hostOf(d.tokenEndpoint);
  if (!token || token.protocol !== 'https:') {
    return { confirmed: false, why: "the pool's discovery document has no usable https token endpoint" };
  }
  if (token.host === domainHost)
    return { confirmed: true, host: domainHost, how: `the discovery document${pinned} names this token endpoint` };
  if (!isCognitoHost(token.host) && isPrefixHostOfRegion(domainHost, f.region)) {
    return {
      confirmed: true,
      host: domainHost,
      how: `a prefix domain of ${f.region}, while the document shows the custom domain ${token.host}`,
    };
  }
  return {
    confirmed: false,
    why: `the pool's discovery document names the token endpoint host ${token.host}, not the configured ${domainHost}`,
  };
}

/** The full text of the `token/skipped-unconfirmed-domain` warning. */
export function unconfirmedDomainMessage(domainHost: string, why: string): string {
  const fix = isAwsOperatedHost(domainHost)
    ? 'Fix the discovery findings, or name the domain outside the file (--domain or CREATIO_SSO_DOMAIN).'
    : 'To confirm a custom domain, name it outside the file (CREATIO_SSO_DOMAIN or --domain), or pin the pool (CREATIO_SSO_USER_POOL_ID or --user-pool-id) so that its own discovery document can vouch for the domain.';
  return `The token probe did not run: the client secret goes only to a token endpoint this run confirmed, and ${domainHost} is not confirmed: ${why}. A config file alone cannot send the secret somewhere. ${fix}`;
}

/** A valid environment variable name (§10). */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A value given where a NAME is expected (`--client-secret-env`, `${env:…}`) that is probably a secret
 * pasted by mistake (§10): not a valid variable name, or 24–64 characters of `[\w+]` without `_` that
 * mix letters (either case) and digits. Such a value is refused and never echoed.
 */
export function looksLikeSecretNotName(name: string): boolean {
  if (!ENV_VAR_NAME.test(name)) return true;
  return /^[A-Za-z0-9+]{24,64}$/.test(name) && /[A-Za-z]/.test(name) && /[0-9]/.test(name);
}

/** Prefixes of other systems' variables (§10), compared case-insensitively. */
const RESERVED_PREFIXES = [
  'AWS_',
  'AZURE_',
  'ARM_',
  'GOOGLE_',
  'GCP_',
  'GH_',
  'GITHUB_',
  'ACTIONS_',
  'CI_',
  'DOCKER_',
  'NPM_',
  'RUNNER_',
  'CREATIO_SSO_',
];
const RESERVED_WORDS = ['TOKEN', 'PASSWORD', 'PASSWD', 'ACCESS_KEY'];
const RESERVED_NAMES = ['NODE_AUTH_TOKEN', 'SYSTEM_ACCESSTOKEN'];

/**
 * Whether a `${env:NAME}` in a config file names another system's credential (§10): a pull request could
 * otherwise point the client secret at `GITHUB_TOKEN` and send it to a token endpoint. The one variable of
 * our own that holds the client secret is allowed. Names given on the command line are not checked here.
 */
export function isReservedVariable(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper === 'CREATIO_SSO_CLIENT_SECRET') return false;
  return (
    RESERVED_NAMES.includes(upper) || RESERVED_PREFIXES.some((p) => upper.startsWith(p)) || RESERVED_WORDS.some((w) => upper.includes(w))
  );
}

/** Whether `apply` (or `rotate`) may write the client secret into Creatio's provider record (§10). */
export type CreatioSecretTrust = { confirmed: true } | { confirmed: false; why: string; fix: string };

/**
 * Creatio is a relay: at each SSO sign-in it POSTs the client secret to the token endpoint that the
 * provider's `DiscoveryUrl` (the pool's discovery document) names, beside `Url` (the domain) — and anyone
 * can start a sign-in from the site's login page. So writing the secret into Creatio sends it where the
 * pool and the domain say, now and later (a pool's owner may add a custom domain at any time, so its
 * discovery document at apply time proves nothing). It is written only when the environment or a flag
 * pins the pool, and names a custom domain; a prefix host under amazoncognito.com is AWS's own.
 */
export function creatioSecretTrust(f: {
  userPoolId: string;
  domainHost: string;
  poolPinnedBy?: string;
  domainNamedBy?: string;
}): CreatioSecretTrust {
  const missing: string[] = [];
  const fixes: string[] = [];
  if (!f.poolPinnedBy) {
    missing.push(`the pool ${f.userPoolId}`);
    fixes.push('the pool with CREATIO_SSO_USER_POOL_ID (or --user-pool-id)');
  }
  if (!isAwsOperatedHost(f.domainHost) && !f.domainNamedBy) {
    missing.push(`the custom domain ${f.domainHost.toLowerCase()}`);
    fixes.push('the domain with CREATIO_SSO_DOMAIN (or --domain)');
  }
  if (missing.length === 0) return { confirmed: true };
  return {
    confirmed: false,
    why: `Creatio sends the client secret to the token endpoint of the pool and domain its provider names, and only the config file names ${missing.join(' and ')}`,
    fix: `Name ${fixes.join(' and ')} in the environment of the run`,
  };
}
