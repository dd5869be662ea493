import { APP_CLIENTS, domainPage, SHOW_CLIENT_SECRET, USER_POOLS } from './cognito/console.js';

/**
 * The finding catalogue: every code the tool can report, its default severity and the fix a user
 * should apply. The table in docs/findings.md and the tests are checked against this list, so a code exists in
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
  /** One line for docs/findings.md: when the finding is reported. */
  when: string;
  /** One line for docs/findings.md: how to fix it. */
  fix: string;
  /** The group of checks the code belongs to. */
  stage: 'offline' | 'online' | 'doctor' | 'aws' | 'creatio' | 'login';
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
    when: 'creatio.url is not an absolute http(s) URL with a valid DNS host name, holds a user name (user@) or a backslash, or names a port while deployment is cloud',
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
    when: 'a page path, query, fragment or trailing slash was removed from creatio.url, or https:// was put in front of a bare host name',
    fix: 'Write the site root the message shows.',
  },
  'user-pool-id/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'the user pool ID breaks the Cognito pattern [\\w-]+_[0-9a-zA-Z]+',
    fix: `Copy the pool ID from ${USER_POOLS}, e.g. eu-west-1_AbCdEf123.`,
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
    when: 'the domain is neither a valid prefix nor a valid DNS host name (or holds a user name, a backslash or a port)',
    fix: `Use the domain prefix (acme-login) or the custom domain (auth.acme.com) from ${domainPage()}.`,
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
    fix: `Use the pool's hosted UI domain prefix from ${domainPage()}.`,
  },
  'client-id/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'the app client ID breaks the Cognito pattern [\\w+]+ (1–128)',
    fix: `Copy the client ID from ${APP_CLIENTS}.`,
  },
  'client-id/unusual': {
    severity: 'warning',
    stage: 'offline',
    when: 'the app client ID is not 25–26 lower-case letters and digits',
    fix: 'Check the client ID against the Cognito console.',
  },
  'client-id/missing': {
    severity: 'warning',
    stage: 'offline',
    when: 'validate: the config has no cognito.clientId (generate and doctor need it: an error there)',
    fix: 'Run apply --create-client: it creates the app client and writes its ID here; or set cognito.clientId.',
  },
  'client-secret/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'a literal (or resolved) secret breaks [\\w+]{24,64}',
    fix: `Copy the client secret again from ${SHOW_CLIENT_SECRET}.`,
  },
  'client-secret/plaintext': {
    severity: 'warning',
    stage: 'offline',
    when: 'the file holds a literal secret',
    fix: 'Write clientSecret: ${env:NAME} and keep the value in that environment variable.',
  },
  'client-secret/reserved-variable': {
    severity: 'error',
    stage: 'offline',
    when: "${env:NAME} names another system's credential (AWS_*, GITHUB_*, CI_*, NPM_*, …, or a name containing TOKEN, PASSWORD, PASSWD or ACCESS_KEY); its value is never read",
    fix: 'Keep the client secret in a variable of its own (e.g. ${env:COGNITO_CLIENT_SECRET}), or name it on the command line with --client-secret-env.',
  },
  'client-secret/secret-as-name': {
    severity: 'error',
    stage: 'offline',
    when: '${env:…} holds something shaped like a secret, or not a variable name; it is never echoed',
    fix: 'Put the variable NAME there (e.g. ${env:COGNITO_CLIENT_SECRET}); if the secret was committed, rotate it in Cognito.',
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
  'provider-code/invalid': {
    severity: 'error',
    stage: 'offline',
    when: 'provider.code breaks ^[A-Za-z0-9._-]{1,64}$',
    fix: 'Write letters, digits, ".", "_" and "-" only (at most 64), or remove provider.code to use the default.',
  },
  'output/exists': {
    severity: 'error',
    stage: 'offline',
    when: 'init or generate: a file it would write already exists (--json reports the refusal here; nothing is written)',
    fix: 'Pass --force to overwrite, or --out-dir (init: --config) to write elsewhere.',
  },
  'host/idn': {
    severity: 'warning',
    stage: 'offline',
    when: 'creatio.url or cognito.domain is an internationalized host name (Unicode or xn-- labels)',
    fix: 'Check both forms the message shows: letters from other scripts can imitate a familiar name.',
  },

  'discovery/unreachable': {
    severity: 'error',
    stage: 'online',
    when: 'the discovery document could not be fetched (network error, timeout) or the answer says "try again later" (HTTP 5xx, 429; the message names the URL that answered); exit 3',
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
    when: 'the discovery URL answered with another non-200 status (4xx, a redirect)',
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
    fix: `Add a domain in ${domainPage()}, then set cognito.domain to it.`,
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
    when: 'the JWKS could not be fetched (network error, timeout, HTTP 5xx or 429); exit 3',
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
    when: 'doctor: the hosted UI domain does not answer, or answers "try again later" (HTTP 5xx, 429); exit 3',
    fix: 'Check the domain, the network and --timeout.',
  },
  'client/unknown': {
    severity: 'error',
    stage: 'doctor',
    when: 'doctor: authorize answers error=invalid_request (unknown client ID)',
    fix: `Copy the app client ID from ${APP_CLIENTS}.`,
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
    fix: `Copy the client secret again from ${SHOW_CLIENT_SECRET}.`,
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
  'aws/credentials': {
    severity: 'error',
    stage: 'aws',
    when: 'no AWS credentials could be loaded (exit 2 with --aws)',
    fix: 'Set AWS_PROFILE (or --aws-profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; drop --aws to skip the audit.',
  },
  'aws/unreachable': {
    severity: 'error',
    stage: 'aws',
    when: 'the AWS API did not answer (network, timeout); exit 3',
    fix: 'Check the network, HTTPS_PROXY/NO_PROXY and --timeout, then run again.',
  },
  'aws/access-denied': {
    severity: 'error',
    stage: 'aws',
    when: 'an AWS API call was denied; the message names the IAM action',
    fix: 'Allow the named action in the IAM policy (docs/aws.md: IAM policy per command).',
  },
  'aws/client-not-found': {
    severity: 'error',
    stage: 'aws',
    when: 'the user pool has no app client with the configured ID',
    fix: 'Copy the app client ID from Cognito → App clients, or run apply --create-client.',
  },
  'aws/no-secret': {
    severity: 'error',
    stage: 'aws',
    when: 'the app client has no client secret (Creatio needs one): ListUserPoolClientSecrets lists none',
    fix: 'Create a client with a secret (apply --create-client): an existing client cannot get one.',
  },
  'aws/secret-mismatch': {
    severity: 'error',
    stage: 'aws',
    when: "the configured client secret is not the app client's secret (ClientSecret), and the client has no other secret",
    fix: 'Copy the client secret again from Cognito → App clients.',
  },
  'aws/rotation-in-progress': {
    severity: 'warning',
    stage: 'aws',
    when: 'the app client has two client secrets at once (a rotation left half-way, or in its grace period); the message names both ids and their ages',
    fix: 'Once everything that signs in with the client holds the newer secret, run creatio-sso rotate --finish (or rotate --abort to keep the older one).',
  },
  'aws/throttled': {
    severity: 'error',
    stage: 'aws',
    when: 'Cognito kept answering TooManyRequestsException after the adaptive retries (its rate limits are per account): inconclusive, exit 3',
    fix: 'Try again later, or check fewer environments at once.',
  },
  'rotate/public-client': {
    severity: 'error',
    stage: 'aws',
    when: '`rotate`: the app client has no client secret (a public client), so there is nothing to rotate',
    fix: 'Creatio needs a confidential client: create one with a secret (apply --create-client).',
  },
  'rotate/two-secrets': {
    severity: 'error',
    stage: 'aws',
    when: "`rotate`: the client has two secrets (a rotation left half-way) and the newer secret's value is not known here",
    fix: 'Run rotate --finish (keep the newer secret; pipe it with --new-secret-stdin) or rotate --abort (keep the configured, older one).',
  },
  'rotate/new-secret-refused': {
    severity: 'error',
    stage: 'aws',
    when: '`rotate`: the token endpoint still refused the new secret after 30 s; the added secret was deleted again, nothing else changed',
    fix: 'Check the app client in the Cognito console, then run rotate again.',
  },
  'rotate/creatio-not-updated': {
    severity: 'error',
    stage: 'creatio',
    when: "`rotate`: Creatio's ClientSecret could not be written or checked, or the login proof (`--login`) with it failed; both secrets stay valid, so sign-in keeps working",
    fix: 'Fix what the message names, then run rotate again to continue (or rotate --abort to drop the new secret).',
  },
  'aws/callback-missing': {
    severity: 'error',
    stage: 'aws',
    when: "Creatio's callback URL is not in the app client's CallbackURLs",
    fix: 'Run apply, or add the URL under Allowed callback URLs.',
  },
  'aws/logout-missing': {
    severity: 'error',
    stage: 'aws',
    when: "Creatio's sign-out URL is not in the app client's LogoutURLs",
    fix: 'Run apply, or add the URL under Allowed sign-out URLs.',
  },
  'aws/flow-missing': {
    severity: 'error',
    stage: 'aws',
    when: 'the code grant is not in AllowedOAuthFlows, or AllowedOAuthFlowsUserPoolClient is false',
    fix: "Run apply, or select Authorization code grant in the app client's login pages settings.",
  },
  'aws/scope-missing': {
    severity: 'error',
    stage: 'aws',
    when: 'one of openid, email, phone, profile is not in AllowedOAuthScopes',
    fix: 'Run apply, or select the scopes Email, OpenID, Phone and Profile.',
  },
  'aws/no-identity-provider': {
    severity: 'error',
    stage: 'aws',
    when: "the app client's SupportedIdentityProviders is empty",
    fix: 'Run apply, or select Cognito user pool under Identity providers.',
  },
  'aws/attribute-not-readable': {
    severity: 'warning',
    stage: 'aws',
    when: "a claim the config maps (or email with JIT on) is not in the app client's ReadAttributes",
    fix: 'Allow the attribute under App client → Attribute read and write permissions.',
  },
  'aws/domain-not-active': {
    severity: 'error',
    stage: 'aws',
    when: "the user pool domain's Status is not ACTIVE",
    fix: 'Wait for the domain to become active, or check it under Cognito → Domain.',
  },
  'aws/no-branding': {
    severity: 'error',
    stage: 'aws',
    when: 'managed login (version 2) and no branding for this app client: its sign-in pages are not served',
    fix: 'Run apply, or create a style under Managed login for the app client.',
  },
  'trust/unpinned-host': {
    severity: 'error',
    stage: 'offline',
    when: 'a credential would go to a site or pool that only the config file names; exit 2',
    fix: 'Name the system in the environment or on the command line (the message names the variable), e.g. CREATIO_SSO_CREATIO_URL.',
  },
  'creatio/unreachable': {
    severity: 'error',
    stage: 'creatio',
    when: 'the Creatio site (or its identity service) did not answer; exit 3',
    fix: 'Check the site URL, the network, the proxy (HTTPS_PROXY) and --timeout, then run again.',
  },
  'creatio/sign-in-failed': {
    severity: 'error',
    stage: 'creatio',
    when: 'Creatio refused the sign-in (forms or OAuth client credentials)',
    fix: 'Check CREATIO_SSO_CREATIO_USERNAME/PASSWORD or the OAuth client ID and secret.',
  },
  'creatio/api-unexpected': {
    severity: 'error',
    stage: 'creatio',
    when: 'a Creatio service answered something unexpected (404, success: false, an unknown column, HTML instead of JSON)',
    fix: 'Do the step the message names by hand (SETUP.md), then run again.',
  },
  'creatio/authorize-mismatch': {
    severity: 'error',
    stage: 'creatio',
    when: "Creatio's own authorize URL differs from the configuration (host, path, client_id, redirect_uri or scope)",
    fix: 'Correct the field the message names in the Creatio provider (or the proxy in front of Creatio).',
  },
  'creatio/provider-unknown': {
    severity: 'error',
    stage: 'creatio',
    when: 'Creatio knows no SSO provider with the configured code',
    fix: "Copy the provider's code from Creatio's SSO list into provider.code, or run apply.",
  },
  'creatio/ambiguous-provider': {
    severity: 'error',
    stage: 'creatio',
    when: 'two SsoOpenIdProvider records could be ours (same client ID); nothing is changed',
    fix: 'Set provider.code to the code of the record to manage.',
  },
  'creatio/drift': {
    severity: 'error',
    stage: 'creatio',
    when: 'the Creatio provider record differs from the configuration (the message names each field)',
    fix: 'Run apply, or correct the fields in Creatio.',
  },
  'creatio/not-licensed': {
    severity: 'error',
    stage: 'creatio',
    when: 'the site refused to save the SSO provider: it lacks the licence operation CanUseSSO (LicException)',
    fix: "Install the site's SSO licence (System Designer → License manager, or ask Creatio support), then run apply again.",
  },
  'creatio/feature-off': {
    severity: 'error',
    stage: 'creatio',
    when: 'on-site: the feature EnableOpenIDAuth is off',
    fix: 'Run apply, or switch it on at <CreatioURL>/0/Flags.',
  },

  // The trust rule of SPEC §10 "Credentials follow their source" and the login proof of §14 (doctor --login).
  'login/bad-credentials': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: Cognito answers NotAuthorizedException (incorrect username or password, user disabled, too many attempts)',
    fix: 'Check the test user name and CREATIO_SSO_TEST_PASSWORD; set a new password with aws cognito-idp admin-set-user-password --permanent.',
  },
  'login/secret-mismatch': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: Cognito cannot verify the SECRET_HASH made from the configured client secret',
    fix: "Copy the app client's secret again from Cognito → App clients and store it where cognito.clientSecret points.",
  },
  'login/flow-not-enabled': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: the app client does not allow the password sign-in the proof uses',
    fix: 'Allow ALLOW_USER_PASSWORD_AUTH on the app client for the test, or run with AWS credentials (AdminInitiateAuth, ALLOW_ADMIN_USER_PASSWORD_AUTH).',
  },
  'login/user-not-found': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: the pool has no user of that name',
    fix: 'Create the test user (aws cognito-idp admin-create-user) or check the name given to --login.',
  },
  'login/user-not-confirmed': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: the test user exists but is not confirmed (UserNotConfirmedException)',
    fix: 'Confirm the user: aws cognito-idp admin-confirm-sign-up, or the console → Users → Confirm account.',
  },
  'login/challenge': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: Cognito answers with a challenge the proof cannot answer (NEW_PASSWORD_REQUIRED, SMS_MFA, SOFTWARE_TOKEN_MFA, …); exit 3',
    fix: 'Use a test user without MFA whose password is permanent (admin-set-user-password --permanent).',
  },
  'login/unreachable': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: Cognito did not answer the sign-in or the key request (network, timeout, server error); exit 3',
    fix: 'Check the network, proxy (HTTPS_PROXY) and --timeout, then run again.',
  },
  'login/token-invalid': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: the ID token fails a check (signature, kid, alg, iss, aud, token_use, exp); the message names which',
    fix: 'Check the pool ID, the client ID and the clock of this machine; a wrong issuer or audience means another pool or client answered.',
  },
  'login/unexpected': {
    severity: 'error',
    stage: 'login',
    when: 'doctor --login: an answer none of the rules explains (e.g. ResourceNotFoundException for an unknown client)',
    fix: "Read Cognito's error type and message quoted in the finding.",
  },
  'token/skipped-unconfirmed-domain': {
    severity: 'warning',
    stage: 'doctor',
    when: "doctor: the token probe did not run: this run did not confirm that the configured domain is the pool's (a custom domain only the file names is never confirmed)",
    fix: 'Fix the discovery findings, or name the domain outside the file (--domain or CREATIO_SSO_DOMAIN); for a custom domain, or pin the pool (CREATIO_SSO_USER_POOL_ID).',
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
