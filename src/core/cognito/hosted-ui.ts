import { appClientPage } from './console.js';
import { CREATIO_SCOPES } from '../creatio/identifiers.js';
import { finding, type Finding } from '../findings.js';
import { clipValue, jsonErrorMessage } from '../text.js';

/**
 * The hosted UI probes of `doctor` (authorize, token, logout, redirects not followed: Cognito answers
 * a 302 to `/login` when all is right, to `/error?error=…` otherwise): the requests to make
 * and the judgement of their answers. Pure: src/live/hosted-ui.ts sends the requests (redirects not
 * followed) and hands the answers back here.
 */

/** What the probes need to know about the app client, all from the config. */
export interface HostedUiTarget {
  /** `https://<domain host>`: the canonical hosted UI base (an override may route it elsewhere). */
  providerUrl: string;
  userPoolId: string;
  clientId: string;
  /** Creatio's callback URL: `<CreatioURL>/ServiceModel/AuthService.svc/OpenIdCallback`. */
  callbackUrl: string;
  /** Creatio's sign-out URL: `<CreatioURL>/ServiceModel/AuthService.svc/OpenIdLogoutCallback`. */
  signOutUrl: string;
}

export type ProbeName = 'authorize' | 'token' | 'logout';

/** One answer as the hosted UI gave it; redirects are not followed. */
export interface ProbeAnswer {
  status: number;
  /** The `Location` header, as sent (absolute or relative). */
  location?: string;
  body?: string;
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'inconclusive';

/** The outcome of one probe: a line for the user and the findings behind it. */
export interface ProbeResult {
  name: ProbeName;
  status: CheckStatus;
  /** Short, e.g. "client known, callback registered, scopes allowed". */
  summary: string;
  findings: Finding[];
}

/** Creatio's scopes, in the order the probe asks for them. */
export const PROBE_SCOPES = CREATIO_SCOPES.join(' ');

/** `GET /oauth2/authorize` exactly as Creatio starts a sign-in. */
export function authorizeUrl(t: HostedUiTarget, state: string): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: t.clientId, redirect_uri: t.callbackUrl, scope: PROBE_SCOPES, state });
  return `${t.providerUrl}/oauth2/authorize?${q}`;
}

export const tokenUrl = (t: HostedUiTarget): string => `${t.providerUrl}/oauth2/token`;

/** The form body of the token probe: a code that was never issued, so no token can come back. */
export function tokenRequestBody(t: HostedUiTarget, bogusCode: string): string {
  return new URLSearchParams({ grant_type: 'authorization_code', code: bogusCode, redirect_uri: t.callbackUrl }).toString();
}

/**
 * HTTP Basic client authentication as Cognito documents it: Base64(client_id:client_secret), the raw
 * values. (RFC 6749 would form-encode them first, which changes a custom secret containing "+".)
 */
export function basicAuthorization(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`, 'utf8').toString('base64')}`;
}

/** `GET /logout` as Creatio signs out, without `state` so that a registered URL comes back unchanged. */
export function logoutUrl(t: HostedUiTarget): string {
  const q = new URLSearchParams({ client_id: t.clientId, logout_uri: t.signOutUrl });
  return `${t.providerUrl}/logout?${q}`;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Where an answer points: Location resolved against the URL that was asked. */
function locationOf(answer: ProbeAnswer, askedUrl: string): URL | undefined {
  if (!REDIRECT_STATUSES.has(answer.status) || !answer.location) return undefined;
  try {
    return new URL(answer.location, askedUrl);
  } catch {
    return undefined;
  }
}

/** Same origin and path, whatever the query: "the redirect goes to this URL". */
function sameEndpoint(u: URL, expected: string): boolean {
  let e: URL;
  try {
    e = new URL(expected);
  } catch {
    return false;
  }
  return u.origin === e.origin && u.pathname === e.pathname;
}

const isPath = (u: URL, path: string) => u.pathname === path || u.pathname === `${path}/`;

/** "302 with Location …", the answer as the user should see it in a finding. */
export function describeAnswer(answer: ProbeAnswer): string {
  if (answer.location) return `${answer.status} with Location ${clipValue(answer.location, 300)}`;
  const error = oauthErrorOf(answer.body);
  return `${answer.status} without a Location${error ? ` (error ${error})` : ''}`;
}

/** The `error` of an OAuth JSON error body, if it is one. Nothing else of the body is ever shown. */
export function oauthErrorOf(body: string | undefined): string | undefined {
  const error = jsonErrorMessage(body, ['error']);
  return error === undefined ? undefined : clipValue(error, 80);
}

const consoleClient = (t: HostedUiTarget) => appClientPage(t.userPoolId, t.clientId);

const unexpected = (name: ProbeName, answer: ProbeAnswer, why: string): ProbeResult => ({
  name,
  status: 'warn',
  summary: `unexpected answer ${describeAnswer(answer)}`,
  findings: [
    finding(
      'hosted-ui/unexpected',
      'cognito.domain',
      `The ${name} request answered ${describeAnswer(answer)}, which none of doctor's rules explains${why ? `: ${why}` : ''}. Check cognito.domain and the app client's Login pages settings in the Cognito console.`,
    ),
  ],
});

/** A hint for answers outside the table that still say something useful. */
function hintFor(error: string | null | undefined, t: HostedUiTarget): string {
  if (error === 'unauthorized_client') {
    return `Cognito says the app client may not use the authorization code grant. In ${consoleClient(t)} → Login pages → Edit, select "Authorization code grant" under OAuth 2.0 grant types`;
  }
  return '';
}

/**
 * Judge the authorize probe by the PATH of its Location: behind an override the host is the override's.
 * `/login` = client known, callback registered, scopes allowed.
 */
export function judgeAuthorize(answer: ProbeAnswer, t: HostedUiTarget, askedUrl: string): ProbeResult {
  const to = locationOf(answer, askedUrl);
  if (!to) {
    const why =
      answer.status === 400 && /BadRequest/.test(answer.body ?? '')
        ? 'this is how the cognito-idp host answers, not a hosted UI domain; check cognito.domain'
        : REDIRECT_STATUSES.has(answer.status)
          ? 'a redirect without a usable Location'
          : 'Cognito answers a valid request with a redirect';
    return unexpected('authorize', answer, why);
  }
  if (isPath(to, '/login')) {
    return { name: 'authorize', status: 'pass', summary: 'client known, callback registered, scopes allowed', findings: [] };
  }
  const error = to.searchParams.get('error');
  const description = to.searchParams.get('error_description') ?? '';
  if (isPath(to, '/error')) {
    if (error === 'redirect_mismatch') return callbackNotRegistered(t);
    if (error === 'invalid_request') return clientUnknown(t);
    if (error?.startsWith('invalid_scope')) return scopeNotAllowed(t);
    return unexpected('authorize', answer, hintFor(error, t));
  }
  if (sameEndpoint(to, t.callbackUrl)) {
    // Errors Cognito sends back to the callback: the scope error comes in two spellings.
    if (error === 'invalid_scope' || (error === 'invalid_request' && /invalid_scope/.test(description))) return scopeNotAllowed(t);
    return unexpected(
      'authorize',
      answer,
      hintFor(error, t) || (error ? '' : 'Cognito sent the browser back to Creatio without a sign-in'),
    );
  }
  return unexpected(
    'authorize',
    answer,
    `it redirects to ${to.host}${to.pathname}, not to the sign-in page (/login), perhaps to a federated identity provider`,
  );
}

/** The authorize probe failed for a reason Cognito named: one finding. */
const authorizeFailed = (summary: string, f: Finding): ProbeResult => ({ name: 'authorize', status: 'fail', summary, findings: [f] });

const callbackNotRegistered = (t: HostedUiTarget): ProbeResult =>
  authorizeFailed(
    'callback URL not registered (redirect_mismatch)',
    finding(
      'callback/not-registered',
      'creatio.url',
      `Cognito does not accept Creatio's callback URL ${t.callbackUrl} for the app client ${t.clientId} (redirect_mismatch). In ${consoleClient(t)} → Login pages → Edit, add ${t.callbackUrl} to Allowed callback URLs, exactly as written (Cognito compares scheme, host, path and case; no trailing slash).`,
    ),
  );

const clientUnknown = (t: HostedUiTarget): ProbeResult =>
  authorizeFailed(
    'app client unknown (invalid_request)',
    finding(
      'client/unknown',
      'cognito.clientId',
      `The hosted UI ${t.providerUrl} does not know the app client ${t.clientId} (invalid_request). Copy the client ID from the Cognito console → User pools → ${t.userPoolId} → App clients: the client must belong to the pool that owns this domain, and have managed login (Login pages) configured.`,
    ),
  );

const scopeNotAllowed = (t: HostedUiTarget): ProbeResult =>
  authorizeFailed(
    'scopes not allowed (invalid_scope)',
    finding(
      'scope/not-allowed',
      'cognito.clientId',
      `The app client ${t.clientId} does not allow every scope Creatio requests (${PROBE_SCOPES}). In ${consoleClient(t)} → Login pages → Edit, under OpenID Connect scopes select OpenID, Email, Phone and Profile.`,
    ),
  );

/**
 * Judge the token probe. The code is made up, so a right secret gets `invalid_grant` (the client
 * authenticated, the code did not) and a wrong one `invalid_client`.
 */
export function judgeToken(answer: ProbeAnswer, t: HostedUiTarget, secretFrom: string): ProbeResult {
  const error = oauthErrorOf(answer.body);
  if (answer.status === 400 && error === 'invalid_grant') {
    return { name: 'token', status: 'pass', summary: 'client secret accepted', findings: [] };
  }
  if ((answer.status === 400 || answer.status === 401) && error === 'invalid_client') {
    return {
      name: 'token',
      status: 'fail',
      summary: 'client secret rejected (invalid_client)',
      findings: [
        finding(
          'client-secret/rejected',
          'cognito.clientSecret',
          `The token endpoint rejected the client secret of the app client ${t.clientId} (invalid_client). Copy it again from ${consoleClient(t)} → App client information → Client secret → Show client secret, and put it in ${secretFrom}. If the app client has no client secret, create an app client that has one: Creatio authenticates with it.`,
        ),
      ],
    };
  }
  return unexpected(
    'token',
    answer,
    hintFor(error, t) || 'Cognito answers a made-up code with 400 invalid_grant (right secret) or invalid_client (wrong secret)',
  );
}

/** Judge the logout probe: a registered sign-out URL is where Cognito sends the browser. */
export function judgeLogout(answer: ProbeAnswer, t: HostedUiTarget, askedUrl: string): ProbeResult {
  const to = locationOf(answer, askedUrl);
  if (to && (answer.location === t.signOutUrl || sameEndpoint(to, t.signOutUrl))) {
    // Cognito redirects only to a registered sign-out URL, so reaching it (with or without a query) proves it.
    return { name: 'logout', status: 'pass', summary: 'sign-out URL registered', findings: [] };
  }
  if (to && (isPath(to, '/login') || isPath(to, '/error'))) {
    return {
      name: 'logout',
      status: 'fail',
      summary: 'sign-out URL not registered',
      findings: [
        finding(
          'logout/not-registered',
          'creatio.url',
          `Cognito does not send signed-out users back to Creatio's sign-out URL ${t.signOutUrl}: logout answered ${describeAnswer(answer)}. In ${consoleClient(t)} → Login pages → Edit, add ${t.signOutUrl} to Allowed sign-out URLs, exactly as written.`,
        ),
      ],
    };
  }
  return unexpected('logout', answer, to ? `it redirects to ${to.host}${to.pathname}` : 'Cognito answers logout with a redirect');
}

/** A probe that was not sent, and why. */
export const skipped = (name: ProbeName, why: string): ProbeResult => ({ name, status: 'skip', summary: `skipped: ${why}`, findings: [] });

/** The hosted UI did not answer (network, timeout): inconclusive, exit 3. */
export function unreachable(name: ProbeName, t: HostedUiTarget, detail: string): ProbeResult {
  return {
    name,
    status: 'inconclusive',
    summary: `no answer (${clipValue(detail, 120)})`,
    findings: [
      finding(
        'hosted-ui/unreachable',
        'cognito.domain',
        `The hosted UI ${t.providerUrl} did not answer the ${name} request. ${detail} Also check that cognito.domain is the domain on the Domain page of the user pool ${t.userPoolId} in the Cognito console.`,
      ),
    ],
  };
}
