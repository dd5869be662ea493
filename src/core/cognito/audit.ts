/**
 * The app-client audit of §11: config values + the live Cognito state → `aws/*` findings. Pure.
 */
import type { HostedUiDomain } from './identifiers.js';
import { CREATIO_SCOPES } from '../creatio/identifiers.js';
import { finding, type Finding } from '../findings.js';
import { domainInUse, type CognitoState } from './state.js';

export interface AwsAuditInput {
  /** Creatio's exact callback and sign-out URLs (§2). */
  callbackUrl: string;
  signOutUrl: string;
  clientId?: string;
  /** The configured domain, to pick the pool domain whose status and login version matter. */
  domain?: HostedUiDomain;
  jit?: { employees?: boolean; externalUsers?: boolean; claims?: Record<string, string> };
  /** The clock a secret's age is told by (ISO 8601); absent: ages are not told, only dates. */
  now?: string;
}

/** `3 days ago`, `5 hours ago`, `just now`; the date itself without a clock. */
function ageOf(created: string, now: string | undefined): string {
  const ms = now === undefined ? NaN : Date.parse(now) - Date.parse(created);
  if (!Number.isFinite(ms)) return created.slice(0, 10);
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days ago`;
  if (hours >= 1) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)} minutes ago` : 'just now';
}

/** Claims every token carries whatever ReadAttributes says. */
const ALWAYS_READABLE = new Set(['sub']);

export function auditCognito(input: AwsAuditInput, state: CognitoState): Finding[] {
  const findings: Finding[] = [];

  const domain = domainInUse(state, input.domain);
  if (domain && domain.status !== undefined && domain.status !== 'ACTIVE') {
    findings.push(
      finding(
        'aws/domain-not-active',
        'cognito.domain',
        `The user pool domain ${domain.domain} is ${domain.status}, not ACTIVE: its sign-in pages are not served. Wait for it (a new domain takes up to a few minutes) or check it under Cognito → Domain.`,
      ),
    );
  }

  const client = state.client;
  if (client === undefined) return findings;
  if (!client.found) {
    findings.push(
      finding(
        'aws/client-not-found',
        'cognito.clientId',
        `The user pool ${state.userPoolId} has no app client ${client.clientId}: copy the ID from Cognito → App clients, or run apply --create-client.`,
      ),
    );
    return findings;
  }

  if (client.secret === 'none') {
    findings.push(
      finding(
        'aws/no-secret',
        'cognito.clientId',
        `The app client ${client.clientId} has no client secret, which Creatio needs. A client cannot get one later: create a new client with a secret (apply --create-client).`,
      ),
    );
  } else if (client.secret === 'mismatch') {
    findings.push(
      finding(
        'aws/secret-mismatch',
        'cognito.clientSecret',
        `The configured client secret is not the secret of app client ${client.clientId}: copy it again from Cognito → App clients.`,
      ),
    );
  }
  // §11: two secrets at once is a rotation left half-way (or in its grace period): say which, and how old.
  if ((client.secrets?.length ?? 0) >= 2) {
    const ages = client.secrets!.map((x) => `${x.id}${x.created ? ` (created ${ageOf(x.created, input.now)})` : ''}`).join(', ');
    findings.push(
      finding(
        'aws/rotation-in-progress',
        'cognito.clientSecret',
        `The app client ${client.clientId} has two client secrets: ${ages}. Both are accepted until one is deleted. Once everything that signs in with this client (Creatio, CI jobs, other environments) holds the newer secret, run creatio-sso rotate --finish; rotate --abort keeps the older one instead.`,
      ),
    );
  }

  const s = client.settings;
  if (!(s.CallbackURLs ?? []).includes(input.callbackUrl)) {
    findings.push(
      finding(
        'aws/callback-missing',
        'creatio.url',
        `The app client's CallbackURLs lack Creatio's callback URL ${input.callbackUrl} (Cognito matches it exactly): run apply, or add it under Allowed callback URLs.`,
      ),
    );
  }
  if (!(s.LogoutURLs ?? []).includes(input.signOutUrl)) {
    findings.push(
      finding(
        'aws/logout-missing',
        'creatio.url',
        `The app client's LogoutURLs lack Creatio's sign-out URL ${input.signOutUrl}: run apply, or add it under Allowed sign-out URLs.`,
      ),
    );
  }
  const flows = s.AllowedOAuthFlows ?? [];
  if (!flows.includes('code') || s.AllowedOAuthFlowsUserPoolClient !== true) {
    const why = !flows.includes('code')
      ? 'the authorization code grant is not allowed'
      : 'OAuth is switched off for the client (AllowedOAuthFlowsUserPoolClient is false)';
    findings.push(
      finding(
        'aws/flow-missing',
        'cognito.clientId',
        `Creatio signs in with the authorization code grant, but ${why}: run apply, or select Authorization code grant.`,
      ),
    );
  }
  const scopes = s.AllowedOAuthScopes ?? [];
  const missingScopes = CREATIO_SCOPES.filter((scope) => !scopes.includes(scope));
  if (missingScopes.length > 0) {
    findings.push(
      finding(
        'aws/scope-missing',
        'cognito.clientId',
        `Creatio asks for openid email phone profile; the app client does not allow ${missingScopes.join(', ')}: run apply, or select the scopes.`,
      ),
    );
  }
  if ((s.SupportedIdentityProviders ?? []).length === 0) {
    findings.push(
      finding(
        'aws/no-identity-provider',
        'cognito.clientId',
        'The app client has no identity provider, so nobody can sign in: run apply, or select Cognito user pool under Identity providers.',
      ),
    );
  }

  // Absent or empty ReadAttributes means every attribute is readable (Cognito's rule).
  const readable = s.ReadAttributes ?? [];
  if (readable.length > 0) {
    const wanted = new Set(Object.keys(input.jit?.claims ?? {}));
    if (input.jit?.employees === true || input.jit?.externalUsers === true) wanted.add('email');
    for (const claim of wanted) {
      if (ALWAYS_READABLE.has(claim) || readable.includes(claim)) continue;
      findings.push(
        finding(
          'aws/attribute-not-readable',
          input.jit?.claims?.[claim] !== undefined ? `jit.claims.${claim}` : 'jit',
          `The app client may not read the attribute ${claim}, so Creatio's tokens lack that claim: allow it under App client → Attribute read and write permissions.`,
        ),
      );
    }
  }

  if (domain?.managedLoginVersion === 2 && state.branding === 'absent') {
    findings.push(
      finding(
        'aws/no-branding',
        'cognito.clientId',
        `The domain ${domain.domain} uses managed login, and the app client ${client.clientId} has no branding, so its sign-in pages are not served: run apply, or create a style under Managed login.`,
      ),
    );
  }
  return findings;
}
