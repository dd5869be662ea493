import {
  CLIENT_ID_PATTERN,
  CLIENT_ID_TYPICAL,
  CLIENT_SECRET_PATTERN,
  extractUserPoolId,
  isKnownRegion,
  isRegionShaped,
  parseDomain,
  prefixDomainHost,
  regionOfUserPoolId,
  suggestedPrefixFor,
  USER_POOL_ID_PATTERN,
  USER_POOL_ID_TYPICAL,
  type HostedUiDomain,
} from '../cognito/identifiers.js';
import {
  CLAIM_TARGET_PATTERN,
  defaultProviderCode,
  DEPLOYMENTS,
  type Deployment,
  isCognitoHttpCallbackHost,
  normalizeCreatioUrl,
  PROVIDER_CODE_PATTERN,
} from '../creatio/identifiers.js';
import { APP_CLIENTS, domainPage, SHOW_CLIENT_SECRET, USER_POOLS } from '../cognito/console.js';
import { idnNote } from '../hosts/names.js';
import { quote } from '../text.js';
import { finding, hasErrors, type Finding, type FindingCode } from '../findings.js';
import type { Config } from './schema.js';
import { parseSecretRef, type SecretRef } from './secret-ref.js';
import { isReservedVariable, looksLikeSecretNotName } from '../trust.js';
import { deriveUrls, type DerivedUrls } from '../urls.js';

/**
 * The offline checks (the findings a file gets without any network). Each field check is usable alone (the wizard validates answers with it)
 * and returns the normalized value next to its findings.
 */
export interface Checked<T> {
  value?: T;
  findings: Finding[];
  /** What normalization changed, in words, for telling the user (wizard). */
  note?: string;
}

/** The Creatio URL; with `deployment`, a port other than the scheme's default is an error for `cloud` (Creatio cloud sites use the default ports). */
/** An empty answer says so, instead of quoting "" as an unusable value. */
const emptyAnswer = <T>(code: FindingCode, path: string, what: string, give: string): Checked<T> => ({
  findings: [finding(code, path, `${what} is empty: ${give}.`)],
});

export function checkCreatioUrl(raw: string, path = 'creatio.url', deployment?: Deployment): Checked<string> {
  if (!raw.trim())
    return emptyAnswer('creatio-url/invalid', path, 'The Creatio URL', 'give the address of the site, e.g. https://acme.creatio.com');
  const r = normalizeCreatioUrl(raw);
  if (!r.ok) return { findings: [finding('creatio-url/invalid', path, `The Creatio URL ${quote(raw)} is not usable: ${r.detail}.`)] };
  if (r.port && deployment === 'cloud') {
    return {
      findings: [
        finding(
          'creatio-url/invalid',
          path,
          `The Creatio URL ${quote(raw)} names port ${r.port}, but a Creatio cloud site answers on the default port. Remove :${r.port}, or set creatio.deployment: on-site if the site is your own.`,
        ),
      ],
    };
  }
  const findings: Finding[] = [];
  if (r.idn) findings.push(finding('host/idn', path, `${idnNote(r.idn)}.`));
  if (!r.secure && !isCognitoHttpCallbackHost(new URL(r.url).hostname)) {
    findings.push(
      finding(
        'creatio-url/insecure',
        path,
        `The Creatio URL uses http:, which Cognito accepts only for localhost callbacks. Use ${r.url.replace(/^http:/, 'https:')}.`,
      ),
    );
  }
  let note: string | undefined;
  const changes = [...(r.schemeAdded ? ['Added https://'] : []), ...(r.removed.length ? [`removed ${r.removed.join(', ')}`] : [])];
  if (changes.length) {
    const said = changes.join(', ');
    note = `${said[0]!.toUpperCase()}${said.slice(1)}: the site root is ${r.url}`;
    findings.push(finding('creatio-url/normalized', path, `${note}. Write url: ${r.url}.`));
  }
  return { value: r.url, findings, note };
}

export function checkUserPoolId(raw: string, path = 'cognito.userPoolId'): Checked<string> {
  if (!raw.trim())
    return emptyAnswer('user-pool-id/invalid', path, 'The user pool ID', `copy it from ${USER_POOLS}, e.g. eu-west-1_AbCdEf123`);
  const { userPoolId, extractedFrom, hostRegion } = extractUserPoolId(raw);
  const findings: Finding[] = [];
  if (!USER_POOL_ID_PATTERN.test(userPoolId) || userPoolId.length > 55) {
    findings.push(
      finding(
        'user-pool-id/invalid',
        path,
        `The user pool ID ${quote(userPoolId)} is not a Cognito pool ID (<region>_<id>, e.g. eu-west-1_AbCdEf123). Copy it from ${USER_POOLS}.`,
      ),
    );
    return { findings };
  }
  if (!USER_POOL_ID_TYPICAL.test(userPoolId)) {
    findings.push(
      finding(
        'user-pool-id/unusual',
        path,
        `The user pool ID ${quote(userPoolId)} is not shaped like <region>_<9 letters or digits>. Check it against the Cognito console.`,
      ),
    );
  }
  if (hostRegion && hostRegion !== regionOfUserPoolId(userPoolId)) {
    findings.push(
      finding(
        'region/mismatch',
        path,
        `The pasted issuer is in region ${hostRegion}, but the pool ID ${userPoolId} belongs to ${regionOfUserPoolId(userPoolId)}. Copy the pool ID again.`,
      ),
    );
  }
  const note = extractedFrom ? `Took the user pool ID ${userPoolId} from ${extractedFrom}` : undefined;
  return { value: userPoolId, findings, note };
}

/** The region: the configured one when given, else the pool ID's prefix. Checks both against each other. */
export function checkRegion(configured: string | undefined, userPoolId: string | undefined, path = 'cognito.region'): Checked<string> {
  const fromPool = userPoolId ? regionOfUserPoolId(userPoolId) : undefined;
  const findings: Finding[] = [];
  const region = configured?.trim() ?? fromPool;
  const where = configured !== undefined ? path : 'cognito.userPoolId';
  if (region === undefined) {
    return { findings: [finding('region/unknown', path, 'The region is not known: give it, or a user pool ID that starts with it.')] };
  }
  if (!isRegionShaped(region)) {
    findings.push(
      finding(
        'region/unknown',
        where,
        `${quote(region)} is not an AWS region (e.g. eu-west-1).${configured === undefined ? ' The user pool ID should start with its region.' : ''}`,
      ),
    );
    return { findings };
  }
  if (!isKnownRegion(region)) {
    const china = region.startsWith('cn-') ? ' Cognito user pools do not exist in the China regions.' : '';
    findings.push(
      finding(
        'region/unknown',
        where,
        `${region} is not a region with Cognito user pools.${china} Check the region of the pool.`,
        'warning',
      ),
    );
  }
  if (configured !== undefined && fromPool !== undefined && isRegionShaped(fromPool) && fromPool !== region) {
    findings.push(
      finding(
        'region/mismatch',
        path,
        `The region ${region} differs from the user pool ID's region ${fromPool}. Remove cognito.region (it is derived from the pool ID) or correct it.`,
      ),
    );
  }
  return { value: region, findings };
}

export function checkDomain(
  raw: string,
  region: string | undefined,
  userPoolId: string | undefined,
  path = 'cognito.domain',
): Checked<HostedUiDomain> {
  if (!raw.trim())
    return emptyAnswer('domain/invalid', path, 'The hosted UI domain', 'a prefix such as acme-login, or a host such as auth.acme.com');
  const r = parseDomain(raw, region, userPoolId);
  if (!r.ok) {
    switch (r.problem) {
      case 'is-user-pool-id': {
        const guess = suggestedPrefixFor(r.detail);
        return {
          findings: [
            finding(
              'domain/is-user-pool-id',
              path,
              `The domain ${quote(r.detail)} is the user pool ID, which cannot be a host name (it has "_" and capitals). Use the pool's domain from ${domainPage()}; console-created pools often have ${guess}.`,
            ),
          ],
        };
      }
      case 'reserved-word':
        return {
          findings: [
            finding(
              'domain/reserved-word',
              path,
              `The domain prefix ${quote(r.value)} contains "${r.detail}", which Cognito forbids in a prefix. Copy the real prefix from ${domainPage()}.`,
            ),
          ],
        };
      case 'issuer-host':
        return {
          findings: [
            finding(
              'domain/invalid',
              path,
              `${r.detail} is the issuer host, not a hosted UI domain. Use the domain from ${domainPage()} (e.g. acme-login or auth.acme.com).`,
            ),
          ],
        };
      default:
        return {
          findings: [
            finding(
              'domain/invalid',
              path,
              `The domain ${quote(r.value)} is not usable: ${r.detail}. Use a prefix (acme-login) or a custom host (auth.acme.com).`,
            ),
          ],
        };
    }
  }
  const findings: Finding[] = [];
  if (r.idn) findings.push(finding('host/idn', path, `${idnNote(r.idn)}.`));
  let domain = r.domain;
  if (domain.kind === 'prefix' && domain.region && region && isRegionShaped(region) && domain.region !== region) {
    findings.push(
      finding(
        'region/mismatch',
        path,
        `The hosted UI domain ${domain.host} is in region ${domain.region}, but the user pool is in ${region}. Use the domain of this pool.`,
      ),
    );
  }
  if (domain.kind === 'prefix' && !domain.region && region && isRegionShaped(region)) {
    domain = { ...domain, host: prefixDomainHost(domain.prefix, region) };
  }
  const note = r.extractedFrom
    ? `Took the domain ${domain.kind === 'prefix' ? domain.prefix : domain.host} from ${r.extractedFrom}`
    : undefined;
  return { value: domain, findings, note };
}

export function checkClientId(raw: string, path = 'cognito.clientId'): Checked<string> {
  const id = raw.trim();
  if (!id) return emptyAnswer('client-id/invalid', path, 'The app client ID', `copy it from ${APP_CLIENTS}`);
  if (!CLIENT_ID_PATTERN.test(id) || id.length > 128) {
    return {
      findings: [
        finding(
          'client-id/invalid',
          path,
          `The app client ID ${quote(id)} is not a Cognito client ID (letters, digits, "_" and "+"). Copy it from ${APP_CLIENTS}.`,
        ),
      ],
    };
  }
  if (!CLIENT_ID_TYPICAL.test(id)) {
    return {
      value: id,
      findings: [
        finding(
          'client-id/unusual',
          path,
          `The app client ID ${quote(id)} is not 25–26 lower-case letters and digits, as Cognito generates. Check it against the console.`,
        ),
      ],
    };
  }
  return { value: id, findings: [] };
}

/** A secret value (never echoed: messages speak of its length and characters only). */
export function checkClientSecretValue(value: string, path = 'cognito.clientSecret'): Finding[] {
  if (CLIENT_SECRET_PATTERN.test(value)) return [];
  const why =
    value.length === 0
      ? 'it is empty'
      : value.length < 24 || value.length > 64
        ? `it has ${value.length} characters, not 24–64`
        : 'it contains characters other than letters, digits, "_" and "+"';
  return [
    finding(
      'client-secret/invalid',
      path,
      `The client secret is not a Cognito client secret: ${why}. Copy it again from ${SHOW_CLIENT_SECRET}.`,
    ),
  ];
}

/**
 * The NAME in a file's `${env:NAME}` (§10): not a secret pasted where the name belongs (never echoed),
 * and not another system's credential (its value is never read).
 */
export function checkSecretRefName(name: string, path = 'cognito.clientSecret'): Finding[] {
  if (looksLikeSecretNotName(name)) {
    return [
      finding(
        'client-secret/secret-as-name',
        path,
        `${path}: \${env:…} must name an environment variable (e.g. \${env:COGNITO_CLIENT_SECRET}), but it holds a value shaped like a secret, or not a variable name. Put the variable NAME there; if the secret was committed, rotate it in Cognito.`,
      ),
    ];
  }
  if (isReservedVariable(name)) {
    return [
      finding(
        'client-secret/reserved-variable',
        path,
        `${path}: \${env:${name}} names a variable that holds another system's credential (a CI, cloud or registry token, a password), so creatio-sso does not read it: a config file must not be able to send such a value to a token endpoint. Keep the client secret in a variable of its own, e.g. \${env:COGNITO_CLIENT_SECRET}, or name the variable on the command line with --client-secret-env.`,
      ),
    ];
  }
  return [];
}

export function checkClientSecretRef(raw: string, path = 'cognito.clientSecret'): Checked<SecretRef> {
  const ref = parseSecretRef(raw);
  if (ref.kind === 'env') {
    const findings = checkSecretRefName(ref.name, path);
    return findings.length ? { findings } : { value: ref, findings };
  }
  const invalid = checkClientSecretValue(ref.value, path);
  if (invalid.length) {
    const hint = /^\$\{?[A-Za-z_]/.test(ref.value.trim()) ? ' To reference an environment variable write ${env:NAME}.' : '';
    return { findings: invalid.map((f) => ({ ...f, message: f.message + hint })) };
  }
  return {
    value: ref,
    findings: [
      finding(
        'client-secret/plaintext',
        path,
        'The file holds the client secret itself. Write clientSecret: ${env:COGNITO_CLIENT_SECRET} and keep the value in that environment variable.',
      ),
    ],
  };
}

/** `provider.code`, Creatio's SsoProvider.Code; absent: the default derived from the client ID. */
export function checkProviderCode(raw: string | undefined, clientId: string | undefined, path = 'provider.code'): Checked<string> {
  if (raw === undefined) return { value: clientId === undefined ? undefined : defaultProviderCode(clientId), findings: [] };
  if (PROVIDER_CODE_PATTERN.test(raw)) return { value: raw, findings: [] };
  const why =
    raw.length === 0
      ? 'it is empty'
      : raw.length > 64
        ? `it has ${raw.length} characters, not 1–64`
        : 'it has characters other than letters, digits, ".", "_" and "-"';
  return {
    findings: [
      finding(
        'provider-code/invalid',
        path,
        `The provider code ${quote(raw)} is not a Creatio SSO provider code: ${why}. Write letters, digits, ".", "_" and "-" only, or remove provider.code to use ${clientId === undefined ? 'cognito- and the start of the client ID' : defaultProviderCode(clientId)}.`,
      ),
    ],
  };
}

export function checkClaimTarget(claim: string, target: string, path = `jit.claims.${claim}`): Finding[] {
  if (CLAIM_TARGET_PATTERN.test(target)) return [];
  return [
    finding(
      'jit/claim-target-invalid',
      path,
      `The claim ${quote(claim)} maps to ${quote(target)}; a target is Contact:<Column> or SysAdminUnit:<Column> (e.g. Contact:MobilePhone).`,
    ),
  ];
}

/** A config whose values are checked and normalized: what the artifacts are built from. */
/**
 * A client ID that passes the config's checks while none is configured yet (`apply --create-client`
 * creates the client and writes its ID into the file): lets the rest of such a config be checked.
 */
export const PENDING_CLIENT_ID = 'pendingcreateclient0000000';

export interface ResolvedConfig {
  creatioUrl: string;
  deployment: Deployment;
  userPoolId: string;
  region: string;
  domain: HostedUiDomain;
  clientId: string;
  clientSecret: SecretRef;
  displayName: string;
  /** Creatio's SsoProvider.Code: `provider.code`, or the default derived from the client ID. */
  providerCode: string;
  isDefault: boolean;
  jit: { employees: boolean; externalUsers: boolean; claims: [claim: string, target: string][] };
  mobileUseSso: boolean;
  urls: Required<DerivedUrls>;
}

export interface ConfigCheck {
  findings: Finding[];
  /** Present when no check found an error. */
  resolved?: ResolvedConfig;
}

/** The values the checks read, each optional: a file that broke the schema still gets its values checked. */
interface FieldValues {
  creatioUrl?: string;
  deployment?: Deployment;
  userPoolId?: string;
  region?: string;
  domain?: string;
  clientId?: string;
  clientSecret?: string;
  /** Present: checked; absent: the default is derived. */
  providerCode?: string;
  claims?: [claim: string, target: string][];
}

function checkFields(v: FieldValues) {
  const url = v.creatioUrl !== undefined ? checkCreatioUrl(v.creatioUrl, 'creatio.url', v.deployment) : undefined;
  const pool = v.userPoolId !== undefined ? checkUserPoolId(v.userPoolId) : undefined;
  // Without a usable pool ID and no region given there is nothing to say about the region: the pool ID's finding says it.
  const region = v.region !== undefined || pool?.value !== undefined ? checkRegion(v.region, pool?.value) : undefined;
  const domain = v.domain !== undefined ? checkDomain(v.domain, region?.value, pool?.value) : undefined;
  const clientId = v.clientId !== undefined ? checkClientId(v.clientId) : undefined;
  const secret = v.clientSecret !== undefined ? checkClientSecretRef(v.clientSecret) : undefined;
  const code = checkProviderCode(v.providerCode, clientId?.value);
  const claimFindings = (v.claims ?? []).flatMap(([claim, target]) => checkClaimTarget(claim, target));
  const findings = [url, pool, region, domain, clientId, secret, code].flatMap((c) => c?.findings ?? []).concat(claimFindings);
  return { url, pool, region, domain, clientId, secret, code, findings };
}

/** Every offline check for a config that matched the schema. */
export function checkConfig(config: Config): ConfigCheck {
  const claims = Object.entries(config.jit.claims);
  const { url, pool, region, domain, clientId, secret, code, findings } = checkFields({
    creatioUrl: config.creatio.url,
    deployment: config.creatio.deployment,
    userPoolId: config.cognito.userPoolId,
    region: config.cognito.region,
    domain: config.cognito.domain,
    clientId: config.cognito.clientId,
    clientSecret: config.cognito.clientSecret,
    ...(config.provider.code !== undefined ? { providerCode: config.provider.code } : {}),
    claims,
  });
  if (hasErrors(findings)) return { findings };
  const resolvedDomain = domain!.value!;
  const urls = deriveUrls({
    userPoolId: pool!.value!,
    region: region!.value!,
    domainHost: resolvedDomain.host,
    creatioUrl: url!.value!,
  }) as Required<DerivedUrls>;
  return {
    findings,
    resolved: {
      creatioUrl: url!.value!,
      deployment: config.creatio.deployment,
      userPoolId: pool!.value!,
      region: region!.value!,
      domain: resolvedDomain,
      clientId: clientId!.value!,
      clientSecret: secret!.value!,
      displayName: config.provider.displayName,
      providerCode: code.value!,
      isDefault: config.provider.isDefault,
      jit: { employees: config.jit.employees, externalUsers: config.jit.externalUsers, claims },
      mobileUseSso: config.mobile.useSso,
      urls,
    },
  };
}

/**
 * The value checks for a file that broke the schema (an unknown key, a missing key, a wrong type):
 * every value that is there and is text is still checked, so one run reports every mistake.
 */
export function checkPartialConfig(raw: Record<string, unknown>): Finding[] {
  const section = (name: string): Record<string, unknown> => {
    const v = raw[name];
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  };
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const creatio = section('creatio');
  const cognito = section('cognito');
  const provider = section('provider');
  // The schema's default, so a broken file is judged as the same file would be once the schema passes.
  const deployment = creatio.deployment === undefined ? 'cloud' : creatio.deployment;
  const claimsValue = section('jit').claims;
  const claims =
    claimsValue && typeof claimsValue === 'object' && !Array.isArray(claimsValue)
      ? Object.entries(claimsValue).filter((e): e is [string, string] => typeof e[1] === 'string')
      : [];
  return checkFields({
    creatioUrl: text(creatio.url),
    ...(deployment === 'cloud' || deployment === 'on-site' ? { deployment } : {}),
    userPoolId: text(cognito.userPoolId),
    region: text(cognito.region),
    domain: text(cognito.domain),
    clientId: text(cognito.clientId),
    clientSecret: text(cognito.clientSecret),
    ...(typeof provider.code === 'string' ? { providerCode: provider.code } : {}),
    claims,
  }).findings;
}

/** The deployment as a checked value, in the same shape as the core's field checks. */
export function checkDeployment(raw: string, path = 'creatio.deployment'): Checked<Deployment> {
  const value = raw.trim().toLowerCase();
  if ((DEPLOYMENTS as readonly string[]).includes(value)) return { value: value as Deployment, findings: [] };
  return { findings: [finding('config/schema', path, `The deployment ${JSON.stringify(raw)} is neither "cloud" nor "on-site".`)] };
}

/** The display name on Creatio's login page: any non-empty text. */
export function checkDisplayName(raw: string, path = 'provider.displayName'): Checked<string> {
  const name = raw.trim();
  if (name) return { value: name, findings: [] };
  return {
    findings: [finding('config/schema', path, 'The display name must not be empty: it is the button text on the Creatio login page.')],
  };
}

/** Cloud sites live under creatio.com; anything else is most likely on-site. */
export function likelyDeployment(creatioUrl: string): Deployment {
  try {
    const host = new URL(creatioUrl).hostname.toLowerCase();
    return host === 'creatio.com' || host.endsWith('.creatio.com') ? 'cloud' : 'on-site';
  } catch {
    return 'cloud';
  }
}
