import { domainPage, USER_POOLS } from './console.js';
import { DOMAIN_PREFIX_PATTERN, ISSUER_HOST, PREFIX_DOMAIN_HOST, suggestedPrefixFor } from './identifiers.js';
import { CREATIO_SCOPES } from '../creatio/identifiers.js';
import { finding, type Finding } from '../findings.js';
import { clipValue, jsonErrorMessage } from '../text.js';

/**
 * Judging a fetched Cognito discovery document (`<issuer>/.well-known/openid-configuration`, issuer
 * `https://cognito-idp.<region>.amazonaws.com/<poolId>`; a pool without a hosted UI domain points its
 * endpoints at that host itself). Pure: the live module fetches, this decides.
 * Every comparison is against canonical values (the issuer Cognito would publish, the configured domain
 * host), never against an override base URL.
 */

/** An HTTP answer as every judge in core reads it (status, lower-cased headers, text body); the HTTP client's response extends it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Where the request really went (an override base + path), when not the canonical URL: messages name what answered. */
  sentTo?: string;
}

/** An answer that says "try again later" (HTTP 5xx, 429): the check could not be completed (§8: inconclusive, exit 3), not failed. */
export const saysTryAgainLater = (status: number): boolean => status >= 500 || status === 429;

export interface DiscoveryExpectation {
  userPoolId: string;
  region: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  issuer: string;
  /** The canonical discovery URL, for messages. */
  discoveryUrl: string;
  /** The configured hosted UI host (prefix host or custom domain); absent: no domain comparison (lookup). */
  domainHost?: string;
  /** How the user wrote the domain: a prefix or a custom host (for the fix in the message). */
  domainKind?: 'prefix' | 'custom';
  /** When the check runs (default 'check'): at set-up time a pool without a domain is a warning naming the fix (§13). */
  stage?: Stage;
}

/**
 * `setup`: init, generate, plan, apply — the domain may still be made (`apply` creates it), so a pool
 * without one is a warning. `check`: validate --online, doctor — it is the error discovery/no-hosted-ui-domain.
 */
export type Stage = 'setup' | 'check';

/**
 * The members of a Cognito discovery document the checks read, and their shapes: the one description
 * of the document. Required members are the ones an OpenID client (Creatio) needs; others may be
 * absent (documents from before 2024 have no end_session_endpoint or revocation_endpoint). `url`: a
 * non-empty string; `list`: an array of strings. (A table, not a zod schema: doctor would load zod
 * for these eleven members alone.)
 */
const DOCUMENT_MEMBERS = {
  issuer: { shape: 'url', required: true },
  authorization_endpoint: { shape: 'url', required: true },
  token_endpoint: { shape: 'url', required: true },
  jwks_uri: { shape: 'url', required: true },
  response_types_supported: { shape: 'list', required: true },
  subject_types_supported: { shape: 'list', required: true },
  id_token_signing_alg_values_supported: { shape: 'list', required: true },
  userinfo_endpoint: { shape: 'url', required: false },
  end_session_endpoint: { shape: 'url', required: false },
  revocation_endpoint: { shape: 'url', required: false },
  scopes_supported: { shape: 'list', required: false },
} as const satisfies Record<string, { shape: 'url' | 'list'; required: boolean }>;
type Member = keyof typeof DOCUMENT_MEMBERS;
type Fields = { [K in Member]: (typeof DOCUMENT_MEMBERS)[K]['shape'] extends 'list' ? string[] : string };
const MEMBERS = Object.keys(DOCUMENT_MEMBERS) as Member[];
const isList = (k: Member): boolean => DOCUMENT_MEMBERS[k].shape === 'list';

/** The members every Cognito discovery document has; a document without one is incomplete. */
export const REQUIRED_FIELDS = MEMBERS.filter((k) => DOCUMENT_MEMBERS[k].required);
/** The members that are URLs. */
const URL_FIELDS = MEMBERS.filter((k) => !isList(k));

/** A member's value when it has its shape (a list is copied), else undefined. */
function memberOf<K extends Member>(doc: Record<string, unknown>, k: K): Fields[K] | undefined {
  const v = doc[k];
  if (isList(k))
    return (Array.isArray(v) && v.every((s) => typeof s === 'string') ? [...(v as string[])] : undefined) as Fields[K] | undefined;
  return (typeof v === 'string' && v.length > 0 ? v : undefined) as Fields[K] | undefined;
}

/** The endpoints of a discovery document, as Cognito publishes them (canonical hosts). */
export type DiscoveryDocument = Pick<Fields, 'issuer' | 'authorization_endpoint' | 'jwks_uri' | 'response_types_supported'> &
  Partial<Pick<Fields, 'token_endpoint' | 'end_session_endpoint' | 'userinfo_endpoint' | 'revocation_endpoint' | 'scopes_supported'>> & {
    /** Every member, as received. */
    raw: Record<string, unknown>;
  };

/** The pool's hosted UI domain as its document shows it. */
export type PoolHostedDomain = { kind: 'prefix'; host: string; prefix: string } | { kind: 'custom'; host: string };
export type PoolDomain = PoolHostedDomain | { kind: 'none' };

export interface DiscoveryJudgement {
  findings: Finding[];
  /** Present when the answer was a document with the endpoints Creatio needs (even if findings exist). */
  document?: DiscoveryDocument;
  /** The pool's real domain, when the document could tell. */
  poolDomain?: PoolDomain;
}

export const POOL_PATH = 'cognito.userPoolId';
export const DOMAIN_PATH = 'cognito.domain';

/** Read a host the way the document shows it: a Cognito prefix host, or a custom domain. */
export function poolDomainOfHost(host: string): PoolHostedDomain {
  const h = host.toLowerCase();
  const m = PREFIX_DOMAIN_HOST.exec(h);
  return m && DOMAIN_PREFIX_PATTERN.test(m[1]!) ? { kind: 'prefix', host: h, prefix: m[1]! } : { kind: 'custom', host: h };
}

/** The answer to a discovery request: non-200 answers first, then the document itself. */
export function judgeDiscoveryAnswer(answer: Answer, expected: DiscoveryExpectation): DiscoveryJudgement {
  if (answer.status !== 200) return { findings: [nonOkFinding(answer, expected)] };
  const json = parseJsonAnswer(answer);
  if (!json.ok) {
    return {
      findings: [
        finding(
          'discovery/invalid',
          POOL_PATH,
          `The discovery URL ${expected.discoveryUrl} answered ${json.why}, not a JSON object. Check that no proxy or override in between replaces Cognito's answer.`,
        ),
      ],
    };
  }
  return judgeDiscovery(json.value, expected);
}

function nonOkFinding(answer: Answer, expected: DiscoveryExpectation): Finding {
  const message = errorMessageOf(answer.body);
  const { userPoolId, region, discoveryUrl } = expected;
  if (message && /does not exist/i.test(message)) {
    return finding(
      'discovery/pool-not-found',
      POOL_PATH,
      `Cognito says the user pool ${userPoolId} does not exist in ${region} (HTTP ${answer.status}: "${clipValue(message)}"). Check cognito.userPoolId against ${USER_POOLS} in region ${region}.`,
    );
  }
  if (saysTryAgainLater(answer.status)) {
    return finding(
      'discovery/unreachable',
      POOL_PATH,
      `The discovery URL ${answer.sentTo ?? discoveryUrl} answered HTTP ${answer.status}${message ? `: "${clipValue(message)}"` : ''}, which means "try again later": the discovery document of ${userPoolId} could not be checked. Run again later.`,
    );
  }
  const location = answer.headers.location;
  const detail =
    answer.status >= 300 && answer.status < 400 && location
      ? ` (a redirect to ${clipValue(location)}, which was not followed)`
      : message
        ? `: "${clipValue(message)}"`
        : '';
  return finding(
    'discovery/http-error',
    POOL_PATH,
    `The discovery URL ${answer.sentTo ?? discoveryUrl} answered HTTP ${answer.status}${detail}. Open it in a browser and check cognito.userPoolId and the region.`,
  );
}

/** Judge a parsed discovery document. */
export function judgeDiscovery(json: unknown, expected: DiscoveryExpectation): DiscoveryJudgement {
  if (!isObject(json)) {
    return {
      findings: [
        finding(
          'discovery/invalid',
          POOL_PATH,
          `The discovery URL ${expected.discoveryUrl} answered JSON that is ${describeJson(json)}, not an object. Check that no proxy or override in between replaces Cognito's answer.`,
        ),
      ],
    };
  }
  const doc = json;
  // Each member as DOCUMENT_MEMBERS describes it: present and of its shape, else undefined.
  const valid = <K extends Member>(k: K): Fields[K] | undefined => memberOf(doc, k);
  const str = (k: Member): string | undefined => (isList(k) ? undefined : (valid(k) as string | undefined));
  const list = (k: Member): string[] | undefined => (isList(k) ? (valid(k) as string[] | undefined) : undefined);

  const findings: Finding[] = [];
  const issuer = str('issuer');
  const authorization = str('authorization_endpoint');
  const token = str('token_endpoint');
  const authorizationHost = authorization ? hostOf(authorization) : undefined;

  const issuerFinding =
    issuer !== undefined && issuer !== expected.issuer
      ? finding(
          'discovery/issuer-mismatch',
          POOL_PATH,
          `The discovery document names the issuer ${clipValue(issuer)}, not ${expected.issuer}: it belongs to another pool or is not Cognito's. Check cognito.userPoolId and cognito.region (and any override variable).`,
        )
      : undefined;

  // A pool without a hosted UI domain: endpoints on cognito-idp itself (2024 shape), authorization_endpoint
  // equal to the issuer and no token endpoint (older shape), or no token endpoint at all. One root cause,
  // one finding: the other checks would only repeat it.
  // Empty endpoint strings are read the same way (a shape some stand-ins of Cognito serve).
  const onIdpHost = authorizationHost !== undefined && ISSUER_HOST.test(authorizationHost);
  const emptyAuthorization = doc.authorization_endpoint === '';
  if ((authorization !== undefined || emptyAuthorization) && (onIdpHost || emptyAuthorization || token === undefined)) {
    const why = onIdpHost
      ? `its discovery document points the sign-in endpoints at ${authorizationHost} itself${token === undefined ? ' and has no token endpoint' : ''}`
      : emptyAuthorization
        ? 'its discovery document has empty sign-in endpoints'
        : 'its discovery document has no token endpoint';
    findings.push(...(issuerFinding ? [issuerFinding] : []), noDomainFinding(expected, why));
    return { findings, poolDomain: { kind: 'none' } };
  }

  const missing = REQUIRED_FIELDS.filter((k) => valid(k) === undefined);
  if (missing.length) {
    const names = missing.map((k) => (doc[k] === undefined ? k : `${k} (not ${isList(k) ? 'a list of strings' : 'a string'})`));
    findings.push(
      finding(
        'discovery/missing-field',
        POOL_PATH,
        `The discovery document lacks ${names.join(', ')}: it is not a complete Cognito discovery document. Check cognito.userPoolId, and that no proxy or override in between changes the answer.`,
      ),
    );
  }
  if (issuerFinding) findings.push(issuerFinding);

  const unparsable = URL_FIELDS.filter((k) => str(k) !== undefined && hostOf(str(k)!) === undefined);
  if (unparsable.length) {
    findings.push(
      finding(
        'discovery/invalid',
        POOL_PATH,
        `In the discovery document, ${unparsable.map((k) => `${k} (${clipValue(str(k)!)})`).join(', ')} ${unparsable.length > 1 ? 'are not URLs' : 'is not a URL'}. Check that no proxy or override in between changes Cognito's answer.`,
      ),
    );
  }
  const insecure = URL_FIELDS.filter(
    (k) => str(k) !== undefined && hostOf(str(k)!) !== undefined && !/^https:/i.test(str(k)!) && !(k === 'issuer' && issuerFinding),
  );
  if (insecure.length) {
    findings.push(
      finding(
        'discovery/not-https',
        POOL_PATH,
        `The discovery document has endpoints that are not https: ${insecure.map((k) => `${k} ${clipValue(str(k)!)}`).join(', ')}. Cognito publishes https endpoints only: check the override variables or a proxy rewriting the answer.`,
      ),
    );
  }

  let poolDomain: PoolHostedDomain | undefined;
  if (authorizationHost !== undefined) {
    poolDomain = poolDomainOfHost(authorizationHost);
    if (expected.domainHost !== undefined && expected.domainHost.toLowerCase() !== poolDomain.host) {
      findings.push(domainMismatchFinding(expected.domainHost, poolDomain, 'file'));
    }
  }

  const scopes = list('scopes_supported');
  if (scopes) {
    const absent = CREATIO_SCOPES.filter((s) => !scopes.includes(s));
    if (absent.length) {
      findings.push(
        finding(
          'discovery/scope-missing',
          POOL_PATH,
          `The pool's scopes_supported lacks ${absent.join(', ')}, but Creatio always requests openid, email, phone and profile, so sign-in would fail. Check that the document is this pool's (cognito.userPoolId).`,
        ),
      );
    }
  }
  const responseTypes = list('response_types_supported');
  if (responseTypes && !responseTypes.includes('code')) {
    findings.push(
      finding(
        'discovery/code-flow-unsupported',
        POOL_PATH,
        `The pool's response_types_supported is [${responseTypes.join(', ')}], without "code": Creatio signs in with the authorization code flow, which this document says is not offered. Check that the document is this pool's.`,
      ),
    );
  }
  if (str('end_session_endpoint') === undefined) {
    const host = poolDomain?.host ?? expected.domainHost ?? '<domain host>';
    findings.push(
      finding(
        'discovery/no-end-session',
        DOMAIN_PATH,
        `The discovery document has no end_session_endpoint (documents from before 2024 lack it). Creatio signs out through the record's EndSessionEndpointUrl (https://${host}/logout?…), so nothing is needed unless sign-out fails.`,
      ),
    );
  }

  const document: DiscoveryDocument | undefined =
    issuer && authorization && str('jwks_uri')
      ? {
          issuer,
          authorization_endpoint: authorization,
          jwks_uri: str('jwks_uri')!,
          response_types_supported: responseTypes ?? [],
          raw: doc,
          ...opt('token_endpoint', token),
          ...opt('end_session_endpoint', str('end_session_endpoint')),
          ...opt('userinfo_endpoint', str('userinfo_endpoint')),
          ...opt('revocation_endpoint', str('revocation_endpoint')),
          ...opt('scopes_supported', scopes),
        }
      : undefined;
  return { findings, ...(document ? { document } : {}), ...(poolDomain ? { poolDomain } : {}) };
}

function noDomainFinding(expected: DiscoveryExpectation, why: string): Finding {
  const prefix = suggestedPrefixFor(expected.userPoolId);
  if (expected.stage === 'setup') {
    return finding(
      'discovery/no-hosted-ui-domain',
      DOMAIN_PATH,
      `The user pool ${expected.userPoolId} has no hosted UI domain yet (${why}); Creatio cannot sign in until it has one. \`npx creatio-sso apply\` creates the prefix domain named in cognito.domain, or add it in ${domainPage(expected.userPoolId)} → Branding → Domain (e.g. ${prefix}).`,
      'warning',
    );
  }
  return finding(
    'discovery/no-hosted-ui-domain',
    DOMAIN_PATH,
    `The user pool ${expected.userPoolId} has no hosted UI domain (${why}), so Creatio cannot sign in through it. Add one in ${domainPage(expected.userPoolId)} → create a Cognito prefix domain (e.g. ${prefix}) or a custom domain, then set cognito.domain to it.`,
  );
}

/**
 * `discovery/domain-mismatch`: the configured domain host is not the one the pool's discovery
 * document shows. `fixIn` says where the user corrects it: the config file, or a wizard answer.
 */
export function domainMismatchFinding(configured: string, real: PoolHostedDomain, fixIn: 'file' | 'answer'): Finding {
  const fix =
    fixIn === 'answer'
      ? `use ${real.kind === 'prefix' ? real.prefix : real.host}`
      : `set cognito.domain: ${real.kind === 'prefix' ? `${real.prefix} (the prefix of ${real.host})` : `${real.host} (the pool's custom domain)`}`;
  // A pool may have a prefix domain and a custom domain at once; its document then shows only the
  // custom one. A configured prefix domain may therefore be right: say so, as a warning.
  if (real.kind === 'custom' && poolDomainOfHost(configured).kind === 'prefix') {
    const lead =
      fixIn === 'answer'
        ? `The pool's discovery document shows its custom domain ${real.host}, not the prefix domain ${configured}.`
        : `cognito.domain points at the prefix domain ${configured}, but the pool's discovery document shows its custom domain ${real.host}.`;
    return finding(
      'discovery/domain-mismatch',
      DOMAIN_PATH,
      `${lead} A pool can have both, and then the document shows only the custom one: if ${configured} is listed in ${domainPage()}, this is fine (doctor checks it); otherwise ${fix}.`,
      'warning',
    );
  }
  const message =
    fixIn === 'answer'
      ? `The user pool's hosted UI domain is ${real.host} (from its discovery document), not ${configured}: ${fix}.`
      : `cognito.domain points at ${configured}, but the pool's hosted UI domain is ${real.host}. ${fix.replace(/^s/, 'S')}.`;
  return finding('discovery/domain-mismatch', DOMAIN_PATH, message);
}

/** The `message` (or `error`) of a JSON error answer, if the body is one. */
export const errorMessageOf = (body: string): string | undefined => jsonErrorMessage(body);

export type JsonAnswer = { ok: true; value: unknown } | { ok: false; why: string };

/** Parse a body that should be JSON; when it is not, say in words what came instead (for the message). */
export function parseJsonAnswer(answer: Answer): JsonAnswer {
  const type = (answer.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  const text = answer.body.replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // described below
  }
  if (text.trim() === '') return { ok: false, why: `an empty body${type ? ` (${type})` : ''}` };
  if (type === 'text/html' || /^\s*<(?:!doctype|html)/i.test(text)) {
    return { ok: false, why: `an HTML page${type ? ` (${type})` : ''}, perhaps a proxy's or a captive portal's` };
  }
  return { ok: false, why: `${type ? `${type} ` : ''}text that is not JSON (${JSON.stringify(clipValue(text.trim(), 60))})` };
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

const opt = <K extends string, V>(k: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));
