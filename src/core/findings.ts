/**
 * The finding catalogue: every code the tool can report, its default severity and the fix a user
 * should apply. The README table and the tests are checked against this list, so a code exists in
 * exactly one place.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** What is wrong and what to do about it. Never contains a secret. */
  message: string;
  /** Dotted path into the config file, e.g. `cognito.region`; empty for the whole file. */
  path: string;
  line?: number;
  column?: number;
}

interface CodeInfo {
  severity: Severity;
  /** One line for the README: when the finding is reported. */
  when: string;
  /** One line for the README: how to fix it. */
  fix: string;
  /** The group of checks the code belongs to. */
  stage: 'offline' | 'online' | 'doctor';
}

export const FINDING_CODES = {
  'config/parse': {
    severity: 'error',
    stage: 'offline',
    when: 'the file is not valid YAML/JSON (or not UTF-8 text)',
    fix: 'Fix the syntax at the reported line.',
  },
  'config/schema': {
    severity: 'error',
    stage: 'offline',
    when: 'a required key is missing, a value has the wrong type, or a key is unknown',
    fix: 'Match the file to the JSON Schema shipped in schema/creatio-sso.schema.json.',
  },
  'creatio-url/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'creatio.url is not an absolute http(s) URL',
    fix: 'Write the site root, e.g. https://acme.creatio.com.',
  },
  'creatio-url/insecure': {
    severity: 'error',
    stage: 'offline',
    when: 'creatio.url uses http: on a host other than localhost',
    fix: 'Use https: Cognito accepts http callbacks only for localhost.',
  },
  'creatio-url/normalized': {
    severity: 'warning',
    stage: 'offline',
    when: 'a page path, query, fragment or trailing slash was removed from creatio.url',
    fix: 'Write the site root the message shows.',
  },
  'user-pool-id/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'the user pool ID breaks the Cognito pattern [\\w-]+_[0-9a-zA-Z]+',
    fix: 'Copy the pool ID from Cognito → User pools, e.g. eu-west-1_AbCdEf123.',
  },
  'user-pool-id/unusual': {
    severity: 'warning',
    stage: 'offline',
    when: 'the user pool ID is not <region>_<9 letters or digits>',
    fix: 'Check the pool ID against the Cognito console.',
  },
  'region/unknown': {
    severity: 'error',
    stage: 'offline',
    when: 'the region is not region-shaped (error) or is not a region with Cognito user pools (warning)',
    fix: 'Use the region of the user pool, the part of its ID before "_".',
  },
  'region/mismatch': {
    severity: 'error',
    stage: 'offline',
    when: "the region (or the region of a pasted hosted UI host) differs from the user pool ID's prefix",
    fix: 'Remove cognito.region (it is derived from the pool ID) or correct it.',
  },
  'domain/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'the domain is neither a valid prefix nor a valid host name',
    fix: 'Use the domain prefix (acme-login) or the custom domain (auth.acme.com) from Cognito → Branding → Domain.',
  },
  'domain/reserved-word': {
    severity: 'error',
    stage: 'offline',
    when: 'the domain prefix contains aws, amazon or cognito',
    fix: 'Cognito forbids these words in a prefix: copy the real prefix from the console.',
  },
  'domain/is-user-pool-id': {
    severity: 'error',
    stage: 'offline',
    when: "the domain is the user pool ID (Creatio's documentation suggests this; it cannot work)",
    fix: "Use the pool's hosted UI domain prefix from Cognito → Branding → Domain.",
  },
  'client-id/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'the app client ID breaks the Cognito pattern [\\w+]+ (1–128)',
    fix: 'Copy the client ID from Cognito → App clients.',
  },
  'client-id/unusual': {
    severity: 'warning',
    stage: 'offline',
    when: 'the app client ID is not 25–26 lower-case letters and digits',
    fix: 'Check the client ID against the Cognito console.',
  },
  'client-secret/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'a literal (or resolved) secret breaks [\\w+]{24,64}',
    fix: 'Copy the client secret again from Cognito → App clients → Show client secret.',
  },
  'client-secret/plaintext': {
    severity: 'warning',
    stage: 'offline',
    when: 'the file holds a literal secret',
    fix: 'Write clientSecret: ${env:NAME} and keep the value in that environment variable.',
  },
  'client-secret/unresolved': {
    severity: 'error',
    stage: 'offline',
    when: 'generate/doctor: the referenced environment variable is not set',
    fix: 'Export the variable named in ${env:NAME} before running the command.',
  },
  'input/overridden': {
    severity: 'info',
    stage: 'offline',
    when: 'generate/doctor: a flag or environment variable replaced a value of the config file (JSON output; text prints a notice)',
    fix: 'Nothing to fix; to use one value, drop the flag or variable, or change the file.',
  },
  'jit/claim-target-invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'a claim mapping target is not Contact:<Column> or SysAdminUnit:<Column>',
    fix: 'Map the claim to Contact:<Column> or SysAdminUnit:<Column>.',
  },

  'discovery/unreachable': {
    severity: 'error',
    stage: 'online',
    when: 'the discovery document could not be fetched (network error, timeout); exit 3',
    fix: 'Check the network, proxy (HTTPS_PROXY) and --timeout, then run again.',
  },
  'discovery/pool-not-found': {
    severity: 'error',
    stage: 'online',
    when: 'Cognito says the user pool does not exist in that region',
    fix: 'Check the pool ID and its region in the Cognito console.',
  },
  'discovery/http-error': {
    severity: 'error',
    stage: 'online',
    when: 'the discovery URL answered with another non-200 status',
    fix: 'Open the discovery URL in a browser and check the pool ID.',
  },
  'discovery/invalid': {
    severity: 'error',
    stage: 'online',
    when: 'the discovery answer is not a JSON object',
    fix: "Check that the override/proxy returns Cognito's document.",
  },
  'discovery/missing-field': {
    severity: 'error',
    stage: 'online',
    when: 'a required OpenID Connect field is missing from the discovery document',
    fix: 'Check the pool ID; the document is not a Cognito discovery document.',
  },
  'discovery/issuer-mismatch': {
    severity: 'error',
    stage: 'online',
    when: "the document's issuer differs from https://cognito-idp.<region>.amazonaws.com/<poolId>",
    fix: 'Check the pool ID and region.',
  },
  'discovery/no-hosted-ui-domain': {
    severity: 'error',
    stage: 'online',
    when: 'the pool has no hosted UI domain (endpoints on the cognito-idp host, or no token endpoint)',
    fix: 'Add a domain in Cognito → Branding → Domain (older console: App integration → Domain), then set cognito.domain to it.',
  },
  'discovery/domain-mismatch': {
    severity: 'error',
    stage: 'online',
    when: "the configured domain is not the host of the pool's authorization endpoint",
    fix: 'Set cognito.domain to the domain the message names.',
  },
  'discovery/scope-missing': {
    severity: 'error',
    stage: 'online',
    when: 'one of openid, email, phone, profile is not in scopes_supported',
    fix: 'Creatio requests all four scopes; check the pool.',
  },
  'discovery/code-flow-unsupported': {
    severity: 'error',
    stage: 'online',
    when: '"code" is not in response_types_supported',
    fix: 'Creatio uses the authorization code flow; check the pool.',
  },
  'discovery/no-end-session': {
    severity: 'warning',
    stage: 'online',
    when: 'the document has no end_session_endpoint',
    fix: 'Creatio still uses the EndSessionEndpointUrl from the record; no action needed unless sign-out fails.',
  },
  'discovery/not-https': {
    severity: 'error',
    stage: 'online',
    when: 'an endpoint in the document is not https',
    fix: 'Cognito endpoints are always https; check the override/proxy.',
  },
  'jwks/unreachable': {
    severity: 'error',
    stage: 'online',
    when: 'the JWKS could not be fetched',
    fix: 'Check the network and the pool ID.',
  },
  'jwks/invalid': {
    severity: 'error',
    stage: 'online',
    when: 'the JWKS is not {"keys":[…]}',
    fix: "Check that the override/proxy returns Cognito's JWKS.",
  },
  'jwks/no-signing-key': {
    severity: 'error',
    stage: 'online',
    when: 'no RSA key usable for RS256 signatures',
    fix: 'Creatio verifies RS256 ID tokens; check the pool.',
  },
  'jwks/private-key': {
    severity: 'error',
    stage: 'online',
    when: 'a key in the JWKS carries private material',
    fix: 'A JWKS must publish public keys only; report it to the provider.',
  },
  'hosted-ui/unreachable': {
    severity: 'error',
    stage: 'doctor',
    when: 'doctor: the hosted UI domain does not answer; exit 3',
    fix: 'Check the domain, the network and --timeout.',
  },
  'client/unknown': {
    severity: 'error',
    stage: 'doctor',
    when: 'doctor: authorize answers error=invalid_request (unknown client ID)',
    fix: 'Copy the app client ID from Cognito → App clients.',
  },
  'callback/not-registered': {
    severity: 'error',
    stage: 'doctor',
    when: 'doctor: authorize answers error=redirect_mismatch',
    fix: "Add the Creatio callback URL to the app client's Allowed callback URLs.",
  },
  'scope/not-allowed': {
    severity: 'error',
    stage: 'doctor',
    when: 'doctor: authorize answers invalid_scope',
    fix: 'Allow the scopes openid, email, phone and profile on the app client.',
  },
  'client-secret/rejected': {
    severity: 'error',
    stage: 'doctor',
    when: 'doctor: the token endpoint answers invalid_client',
    fix: 'Copy the client secret again from Cognito → App clients.',
  },
  'logout/not-registered': {
    severity: 'error',
    stage: 'doctor',
    when: 'doctor: logout does not redirect to the Creatio sign-out URL',
    fix: "Add the Creatio sign-out URL to the app client's Allowed sign-out URLs.",
  },
  'hosted-ui/unexpected': {
    severity: 'warning',
    stage: 'doctor',
    when: 'doctor: an answer none of the rules explains',
    fix: 'Read the status and Location in the message and check the app client.',
  },
} as const satisfies Record<string, CodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;

export function finding(code: FindingCode, path: string, message: string, severity: Severity = FINDING_CODES[code].severity): Finding {
  return { code, severity, message, path };
}

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.severity === 'error');

/** Whether a run with these findings fails: errors always, warnings only with --strict. */
export const failsWith = (findings: readonly Finding[], strict: boolean): boolean =>
  findings.some((f) => f.severity === 'error' || (strict && f.severity === 'warning'));
