/**
 * What the AWS API says about the pool and the app client (§11), as plain data: src/aws/read.ts fills it,
 * the pure audit and plan judge it. The client secret is never held here, only whether it matched.
 */

/**
 * The fields of UpdateUserPoolClientRequest besides UserPoolId and ClientId (SDK 3.1169). An update
 * resets every field it omits, so every update copies all of them from DescribeUserPoolClient.
 */
export const WRITABLE_CLIENT_FIELDS = [
  'ClientName',
  'RefreshTokenValidity',
  'AccessTokenValidity',
  'IdTokenValidity',
  'TokenValidityUnits',
  'ReadAttributes',
  'WriteAttributes',
  'ExplicitAuthFlows',
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
  'AuthSessionValidity',
  'RefreshTokenRotation',
] as const;

export type WritableClientField = (typeof WRITABLE_CLIENT_FIELDS)[number];

/** The app client's writable settings, as DescribeUserPoolClient returns them (SDK enums as strings). */
export interface AppClientSettings {
  ClientName?: string;
  RefreshTokenValidity?: number;
  AccessTokenValidity?: number;
  IdTokenValidity?: number;
  TokenValidityUnits?: { AccessToken?: string; IdToken?: string; RefreshToken?: string };
  ReadAttributes?: string[];
  WriteAttributes?: string[];
  ExplicitAuthFlows?: string[];
  SupportedIdentityProviders?: string[];
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  DefaultRedirectURI?: string;
  AllowedOAuthFlows?: string[];
  AllowedOAuthScopes?: string[];
  AllowedOAuthFlowsUserPoolClient?: boolean;
  AnalyticsConfiguration?: {
    ApplicationId?: string;
    ApplicationArn?: string;
    RoleArn?: string;
    ExternalId?: string;
    UserDataShared?: boolean;
  };
  PreventUserExistenceErrors?: string;
  EnableTokenRevocation?: boolean;
  EnablePropagateAdditionalUserContextData?: boolean;
  AuthSessionValidity?: number;
  RefreshTokenRotation?: { Feature?: string; RetryGracePeriodSeconds?: number };
}

/**
 * The client secret, judged where it was read (src/aws/read.ts, constant time): `none` the client has
 * no secret (ListUserPoolClientSecrets lists none); `present` it has one and no secret was configured to
 * compare; `match` / `mismatch` against DescribeUserPoolClient's `ClientSecret`; `uncomparable` when that
 * shows only the original secret and a later one exists (§11: the token probe decides).
 */
export type ClientSecretState = 'none' | 'present' | 'match' | 'mismatch' | 'uncomparable';

/** One of the client's secrets as ListUserPoolClientSecrets lists it: never its value. */
export interface ClientSecretEntry {
  id: string;
  /** ISO 8601, when Cognito said. */
  created?: string;
}

export interface PoolDomainState {
  /** The prefix (`acme-login`) or the custom host (`auth.acme.com`). */
  domain: string;
  custom: boolean;
  /** DescribeUserPoolDomain's Status: CREATING, ACTIVE, UPDATING, DELETING, FAILED. */
  status?: string;
  /** 1 classic hosted UI, 2 managed login; absent means 1. */
  managedLoginVersion?: number;
}

export interface CognitoState {
  userPoolId: string;
  /** DescribeUserPool's Domain (a prefix) and CustomDomain. */
  prefixDomain?: string;
  customDomain?: string;
  /** DescribeUserPoolDomain for each of them. */
  domains: PoolDomainState[];
  /** Absent when no client ID was given; `found: false` when the pool has no such client. */
  client?:
    | { clientId: string; found: false }
    | { clientId: string; found: true; settings: AppClientSettings; secret: ClientSecretState; secrets?: ClientSecretEntry[] };
  /** DescribeManagedLoginBrandingByClient, read only when a domain uses managed login (version 2). */
  branding?: 'present' | 'absent';
}

/** The domain a run is about: the configured one when the pool has it, else the pool's prefix domain, else its custom one. */
export function domainInUse(
  state: CognitoState,
  configured?: { kind: 'prefix'; prefix: string } | { kind: 'custom'; host: string },
): PoolDomainState | undefined {
  const name = configured === undefined ? undefined : configured.kind === 'prefix' ? configured.prefix : configured.host;
  return state.domains.find((d) => d.domain === name) ?? state.domains.find((d) => !d.custom) ?? state.domains[0];
}
