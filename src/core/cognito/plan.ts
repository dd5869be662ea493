/**
 * The Cognito half of §13's plan: config values + the live Cognito state → what `apply` would change,
 * field by field, and the requests that change it. Pure. Additive: URLs, scopes, flows and identity
 * providers the client already has stay. The client update is read-modify-write: every writable field
 * read from DescribeUserPoolClient is sent back, changed only where needed; never the secret.
 */
import type { HostedUiDomain } from './identifiers.js';
import { CREATIO_SCOPES } from '../creatio/identifiers.js';
import { finding, type Finding } from '../findings.js';
import { WRITABLE_CLIENT_FIELDS, domainInUse, type AppClientSettings, type CognitoState } from './state.js';

/** One line of the plan (§9). Secrets appear only as "(set)", "(written)" or "(cannot be compared)". */
export interface PlanItem {
  resource: string;
  field: string;
  action: 'add' | 'change' | 'same' | 'manual';
  from?: unknown;
  to?: unknown;
  how?: string;
  applied?: boolean;
}

export type UpdateClientRequest = { UserPoolId: string; ClientId: string } & AppClientSettings;
export type CreateClientRequest = { UserPoolId: string; ClientName: string; GenerateSecret: true } & AppClientSettings;

export interface CognitoPlanInput {
  userPoolId: string;
  callbackUrl: string;
  signOutUrl: string;
  /** The configured domain; a prefix can be created, a custom domain is a manual step. */
  domain?: HostedUiDomain;
  clientId?: string;
  /** `apply --create-client`: plan a new client with a secret instead of updating one. */
  createClient?: boolean;
  /** Name of a new client (default `Creatio`). */
  clientName?: string;
}

export interface CognitoPlan {
  items: PlanItem[];
  /** Findings that keep the client part from being planned (no such client without --create-client). */
  findings: Finding[];
  /** CreateUserPoolDomain with this prefix. */
  createDomain?: { UserPoolId: string; Domain: string };
  updateClient?: UpdateClientRequest;
  createClient?: CreateClientRequest;
  /** CreateManagedLoginBranding with UseCognitoProvidedValues for this client (`clientId` absent: the one created). */
  createBranding?: { UserPoolId: string; ClientId?: string };
  /** Items that would change something (add/change); manual steps do not count. */
  pending: number;
}

export const RESOURCE = { domain: 'UserPoolDomain', client: 'UserPoolClient', branding: 'ManagedLoginBranding' } as const;

const CONSOLE_CUSTOM_DOMAIN =
  'Cognito console → User pools → <pool> → Branding → Domain → Create custom domain (needs an ACM certificate in us-east-1)';

export function planCognito(input: CognitoPlanInput, state: CognitoState): CognitoPlan {
  const items: PlanItem[] = [];
  const findings: Finding[] = [];
  const plan: CognitoPlan = { items, findings, pending: 0 };

  planDomain(input, state, plan);

  const desiredLists: [
    keyof AppClientSettings & ('CallbackURLs' | 'LogoutURLs' | 'AllowedOAuthFlows' | 'AllowedOAuthScopes'),
    readonly string[],
  ][] = [
    ['CallbackURLs', [input.callbackUrl]],
    ['LogoutURLs', [input.signOutUrl]],
    ['AllowedOAuthFlows', ['code']],
    ['AllowedOAuthScopes', CREATIO_SCOPES],
  ];

  const client = state.client;
  let brandingFor: { ClientId?: string } | undefined;
  if (input.createClient === true && (client === undefined || !client.found)) {
    const created: CreateClientRequest = {
      UserPoolId: input.userPoolId,
      ClientName: input.clientName ?? 'Creatio',
      GenerateSecret: true,
      CallbackURLs: [input.callbackUrl],
      LogoutURLs: [input.signOutUrl],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: [...CREATIO_SCOPES],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    };
    plan.createClient = created;
    items.push({ resource: RESOURCE.client, field: 'ClientName', action: 'add', to: created.ClientName });
    items.push({ resource: RESOURCE.client, field: 'ClientSecret', action: 'add', to: '(set)' });
    for (const [field, values] of desiredLists)
      for (const value of values) items.push({ resource: RESOURCE.client, field, action: 'add', to: value });
    items.push({ resource: RESOURCE.client, field: 'AllowedOAuthFlowsUserPoolClient', action: 'add', to: true });
    items.push({ resource: RESOURCE.client, field: 'SupportedIdentityProviders', action: 'add', to: 'COGNITO' });
    brandingFor = {};
  } else if (input.clientId === undefined) {
    findings.push(
      finding(
        'aws/client-not-found',
        'cognito.clientId',
        'No app client is configured: set cognito.clientId, or let apply --create-client create one.',
      ),
    );
  } else if (client !== undefined && !client.found) {
    findings.push(
      finding(
        'aws/client-not-found',
        'cognito.clientId',
        `The user pool ${input.userPoolId} has no app client ${client.clientId}: fix cognito.clientId, or let apply --create-client create one.`,
      ),
    );
  } else if (client !== undefined && client.found) {
    const current = client.settings;
    const next: AppClientSettings = {};
    for (const field of WRITABLE_CLIENT_FIELDS) {
      if (current[field] !== undefined) (next as Record<string, unknown>)[field] = structuredClone(current[field]);
    }
    let changed = false;
    for (const [field, values] of desiredLists) {
      const have = current[field] ?? [];
      const missing = values.filter((v) => !have.includes(v));
      for (const value of missing) items.push({ resource: RESOURCE.client, field, action: 'add', to: value });
      if (missing.length === 0) items.push({ resource: RESOURCE.client, field, action: 'same', to: [...values] });
      else {
        next[field] = [...have, ...missing];
        changed = true;
      }
    }
    if (current.AllowedOAuthFlowsUserPoolClient === true) {
      items.push({ resource: RESOURCE.client, field: 'AllowedOAuthFlowsUserPoolClient', action: 'same', to: true });
    } else {
      items.push({
        resource: RESOURCE.client,
        field: 'AllowedOAuthFlowsUserPoolClient',
        action: 'change',
        from: current.AllowedOAuthFlowsUserPoolClient ?? false,
        to: true,
      });
      next.AllowedOAuthFlowsUserPoolClient = true;
      changed = true;
    }
    const providers = current.SupportedIdentityProviders ?? [];
    if (providers.length > 0) {
      items.push({ resource: RESOURCE.client, field: 'SupportedIdentityProviders', action: 'same', to: [...providers] });
    } else {
      items.push({ resource: RESOURCE.client, field: 'SupportedIdentityProviders', action: 'add', to: 'COGNITO' });
      next.SupportedIdentityProviders = ['COGNITO'];
      changed = true;
    }
    if (changed) plan.updateClient = { UserPoolId: input.userPoolId, ClientId: client.clientId, ...next };
    brandingFor = { ClientId: client.clientId };
  }

  // Branding: only a domain on managed login (version 2) needs it; a domain this run creates is classic.
  const domain = domainInUse(state, input.domain);
  if (brandingFor !== undefined && domain?.managedLoginVersion === 2) {
    const missing = brandingFor.ClientId === undefined || state.branding === 'absent';
    if (missing) {
      items.push({ resource: RESOURCE.branding, field: 'UseCognitoProvidedValues', action: 'add', to: true });
      plan.createBranding = { UserPoolId: input.userPoolId, ...brandingFor };
    } else {
      items.push({ resource: RESOURCE.branding, field: 'UseCognitoProvidedValues', action: 'same', to: '(present)' });
    }
  }

  plan.pending = items.filter((i) => i.action === 'add' || i.action === 'change').length;
  return plan;
}

function planDomain(input: CognitoPlanInput, state: CognitoState, plan: CognitoPlan): void {
  const wanted = input.domain;
  if (wanted === undefined) return;
  const item = (action: PlanItem['action'], extra: Partial<PlanItem>) =>
    plan.items.push({ resource: RESOURCE.domain, field: 'Domain', action, ...extra });
  if (wanted.kind === 'custom') {
    if (state.customDomain === wanted.host) item('same', { to: wanted.host });
    else item('manual', { to: wanted.host, how: CONSOLE_CUSTOM_DOMAIN.replace('<pool>', input.userPoolId) });
    return;
  }
  if (state.prefixDomain === wanted.prefix) {
    item('same', { to: wanted.prefix });
  } else if (state.prefixDomain === undefined) {
    item('add', { to: wanted.prefix });
    plan.createDomain = { UserPoolId: input.userPoolId, Domain: wanted.prefix };
  } else {
    // A pool has one prefix domain; replacing it breaks every other app on it, so it stays a decision for a person.
    item('manual', {
      from: state.prefixDomain,
      to: wanted.prefix,
      how: `The pool's domain is ${state.prefixDomain}: set cognito.domain to it, or replace the domain under Cognito → User pools → ${input.userPoolId} → Branding → Domain`,
    });
  }
}

const shown = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(' ') : String(value));

/** The text lines of a plan half (§13): `  + CallbackURLs  https://…`, `  ~ Url  old → new`, `  = …`, `  ! …`. */
export function planLines(items: readonly Omit<PlanItem, 'resource'>[]): string[] {
  return items.map((i) => {
    switch (i.action) {
      case 'add':
        return `  + ${i.field}  ${shown(i.to)}`;
      case 'change':
        return `  ~ ${i.field}  ${shown(i.from)} → ${shown(i.to)}`;
      case 'same':
        // A value that cannot be compared says what to do about it (--write-secret).
        return `  = ${i.field}  ${shown(i.to)}${i.how ? ` (${i.how})` : ''}`;
      case 'manual':
        return `  ! ${i.field}  ${i.how ?? ''}`;
    }
  });
}
