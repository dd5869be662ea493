/**
 * Read the live Cognito state (§11) into one plain object for the pure audit and plan:
 * DescribeUserPool (Domain, CustomDomain), DescribeUserPoolDomain (Status, ManagedLoginVersion),
 * DescribeUserPoolClient, ListUserPoolClientSecrets (ids and dates, never values), and
 * DescribeManagedLoginBrandingByClient when a domain uses managed login.
 * The client secret is compared here, in constant time, and only the verdict leaves this module.
 */
import type { CognitoIdentityProviderClient, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { finding, type Finding } from '../core/findings.js';
import {
  WRITABLE_CLIENT_FIELDS,
  type AppClientSettings,
  type CognitoState,
  type ClientSecretEntry,
  type ClientSecretState,
  type PoolDomainState,
} from '../core/cognito/state.js';
import { awsFailure, isNotFound } from './failures.js';
import { sameSecret } from './secret.js';

export interface CognitoReadInput {
  userPoolId: string;
  /** Absent: the client is not read (plan for `apply --create-client`). */
  clientId?: string;
  /** The configured secret, compared with the client's; never stored or returned. */
  clientSecret?: string;
}

/** `state` when every read succeeded; otherwise the one finding that stopped the read. */
export type CognitoReadResult = { ok: true; state: CognitoState } | { ok: false; finding: Finding };

class ReadStop extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

export async function readCognito(client: CognitoIdentityProviderClient, input: CognitoReadInput): Promise<CognitoReadResult> {
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  const call = async <T>(action: string, path: string, send: () => Promise<T>, onNotFound?: () => T | Finding): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      if (onNotFound !== undefined && isNotFound(error)) {
        const answer = onNotFound();
        if (isFinding(answer)) throw new ReadStop(answer);
        return answer;
      }
      throw new ReadStop(awsFailure(error, `cognito-idp:${action}`, path));
    }
  };

  try {
    const pool = await call(
      'DescribeUserPool',
      'cognito.userPoolId',
      () => client.send(new sdk.DescribeUserPoolCommand({ UserPoolId: input.userPoolId })),
      () =>
        finding(
          'discovery/pool-not-found',
          'cognito.userPoolId',
          `The user pool ${input.userPoolId} does not exist in this region or account: check cognito.userPoolId and the AWS credentials' account.`,
        ),
    );
    const state: CognitoState = { userPoolId: input.userPoolId, domains: [] };
    const prefix = pool.UserPool?.Domain;
    const custom = pool.UserPool?.CustomDomain;
    if (prefix) state.prefixDomain = prefix;
    if (custom) state.customDomain = custom;

    for (const [domain, isCustom] of [
      [prefix, false],
      [custom, true],
    ] as const) {
      if (!domain) continue;
      const answer = await call('DescribeUserPoolDomain', 'cognito.domain', () =>
        client.send(new sdk.DescribeUserPoolDomainCommand({ Domain: domain })),
      );
      const d: PoolDomainState = { domain, custom: isCustom };
      const description = answer.DomainDescription;
      if (description?.Status !== undefined) d.status = description.Status;
      if (description?.ManagedLoginVersion !== undefined) d.managedLoginVersion = description.ManagedLoginVersion;
      state.domains.push(d);
    }

    if (input.clientId !== undefined) {
      const clientId = input.clientId;
      const described = await call(
        'DescribeUserPoolClient',
        'cognito.clientId',
        () => client.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: input.userPoolId, ClientId: clientId })),
        () => ({ UserPoolClient: undefined, $metadata: {} }),
      );
      const found = described.UserPoolClient;
      if (found === undefined) {
        state.client = { clientId, found: false };
      } else {
        // §11: the list decides whether the client has a secret; DescribeUserPoolClient shows only the original.
        const listed = await call('ListUserPoolClientSecrets', 'cognito.clientId', () =>
          client.send(new sdk.ListUserPoolClientSecretsCommand({ UserPoolId: input.userPoolId, ClientId: clientId })),
        );
        const secrets: ClientSecretEntry[] = (listed.ClientSecrets ?? []).map((s) => ({
          id: s.ClientSecretId ?? '',
          ...(s.ClientSecretCreateDate ? { created: s.ClientSecretCreateDate.toISOString() } : {}),
        }));
        state.client = {
          clientId,
          found: true,
          settings: settingsOf(found),
          secret: secretState(found.ClientSecret, input.clientSecret, secrets.length),
          secrets,
        };
        if (state.domains.some((d) => d.managedLoginVersion === 2)) {
          const branding = await call(
            'DescribeManagedLoginBrandingByClient',
            'cognito.clientId',
            () => client.send(new sdk.DescribeManagedLoginBrandingByClientCommand({ UserPoolId: input.userPoolId, ClientId: clientId })),
            () => ({ ManagedLoginBranding: undefined, $metadata: {} }),
          );
          state.branding = branding.ManagedLoginBranding === undefined ? 'absent' : 'present';
        }
      }
    }
    return { ok: true, state };
  } catch (error) {
    if (error instanceof ReadStop) return { ok: false, finding: error.finding };
    throw error;
  }
}

const isFinding = (value: unknown): value is Finding =>
  typeof value === 'object' && value !== null && 'code' in value && 'severity' in value;

/**
 * §11: "no secret" only when the list is empty. `original` (DescribeUserPoolClient's ClientSecret) is the
 * client's first secret only: when it is absent or differs while a later secret exists, the configured
 * value may be that later one, which nothing but the token endpoint can tell.
 */
function secretState(original: string | undefined, configured: string | undefined, listed: number): ClientSecretState {
  const hasOriginal = original !== undefined && original !== '';
  if (listed === 0) return 'none';
  if (configured === undefined || configured === '') return 'present';
  if (hasOriginal && sameSecret(configured, original)) return 'match';
  return listed > (hasOriginal ? 1 : 0) ? 'uncomparable' : 'mismatch';
}

/** The writable fields of a described client, copied as plain data (never the secret). */
export function settingsOf(described: UserPoolClientType): AppClientSettings {
  const settings: Record<string, unknown> = {};
  const source = described as Record<string, unknown>;
  for (const field of WRITABLE_CLIENT_FIELDS) {
    if (source[field] !== undefined) settings[field] = structuredClone(source[field]);
  }
  return settings as AppClientSettings;
}
