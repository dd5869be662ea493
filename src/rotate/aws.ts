/**
 * The Cognito side of `rotate` (§16): the client's secrets (ids and dates; values never listed), the
 * original secret compared in constant time with the known values, and the two changes: add and delete.
 * Failures come back as findings (src/aws/failures.ts), never as an SDK error.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { finding, type Finding } from '../core/findings.js';
import type { SecretEntry } from '../core/rotate.js';
import { awsFailure, isNotFound } from '../aws/failures.js';
import { sameSecret } from '../aws/secret.js';

export interface ClientRef {
  userPoolId: string;
  clientId: string;
}

export interface SecretsRead {
  secrets: SecretEntry[];
  /** DescribeUserPoolClient shows a ClientSecret (the original is one of the secrets). */
  originalShown: boolean;
  /** For each value asked about: equal to the original (undefined when none is shown). */
  isOriginal: (value: string) => boolean | undefined;
}

export class AwsStop extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

const sdkModule = () => import('@aws-sdk/client-cognito-identity-provider');

/** DescribeUserPoolClient and ListUserPoolClientSecrets. Throws AwsStop. */
export async function readSecrets(client: CognitoIdentityProviderClient, c: ClientRef): Promise<SecretsRead> {
  const sdk = await sdkModule();
  let original: string | undefined;
  try {
    const described = await client.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: c.userPoolId, ClientId: c.clientId }));
    original = described.UserPoolClient?.ClientSecret || undefined;
  } catch (e) {
    if (isNotFound(e)) {
      throw new AwsStop(
        finding(
          'aws/client-not-found',
          'cognito.clientId',
          `The user pool ${c.userPoolId} has no app client ${c.clientId}: check cognito.clientId. Nothing was changed.`,
        ),
      );
    }
    throw new AwsStop(awsFailure(e, 'cognito-idp:DescribeUserPoolClient', 'cognito.clientId'));
  }
  let listed;
  try {
    listed = await client.send(new sdk.ListUserPoolClientSecretsCommand({ UserPoolId: c.userPoolId, ClientId: c.clientId }));
  } catch (e) {
    throw new AwsStop(awsFailure(e, 'cognito-idp:ListUserPoolClientSecrets', 'cognito.clientId'));
  }
  const secrets = (listed.ClientSecrets ?? []).map((s) => ({
    id: s.ClientSecretId ?? '',
    created: (s.ClientSecretCreateDate ?? new Date(0)).toISOString(),
  }));
  return {
    secrets,
    originalShown: original !== undefined,
    isOriginal: (value) => (original === undefined ? undefined : sameSecret(value, original)),
  };
}

/**
 * AddUserPoolClientSecret. The request is not tied to the run's stop signal: once sent, its answer (the
 * only time Cognito shows the value) must arrive and be stored, or a stop would leave a secret nobody knows.
 */
export async function addSecret(
  client: CognitoIdentityProviderClient,
  c: ClientRef,
  given: string | undefined,
): Promise<{ id: string; value: string; created: string }> {
  const sdk = await sdkModule();
  try {
    const answer = await client.send(
      new sdk.AddUserPoolClientSecretCommand({ UserPoolId: c.userPoolId, ClientId: c.clientId, ...(given ? { ClientSecret: given } : {}) }),
      { abortSignal: new AbortController().signal },
    );
    const d = answer.ClientSecretDescriptor;
    const value = d?.ClientSecretValue ?? given;
    if (!d?.ClientSecretId || !value) throw new Error('AddUserPoolClientSecret answered without the new secret');
    return { id: d.ClientSecretId, value, created: (d.ClientSecretCreateDate ?? new Date()).toISOString() };
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('AddUserPoolClientSecret answered')) {
      throw new AwsStop(finding('aws/unreachable', 'cognito.clientId', `${e.message}: run creatio-sso rotate again to see the state.`));
    }
    throw new AwsStop(awsFailure(e, 'cognito-idp:AddUserPoolClientSecret', 'cognito.clientId'));
  }
}

/** DeleteUserPoolClientSecret. Throws AwsStop. */
export async function deleteSecret(client: CognitoIdentityProviderClient, c: ClientRef, id: string): Promise<void> {
  const sdk = await sdkModule();
  try {
    await client.send(new sdk.DeleteUserPoolClientSecretCommand({ UserPoolId: c.userPoolId, ClientId: c.clientId, ClientSecretId: id }));
  } catch (e) {
    throw new AwsStop(awsFailure(e, 'cognito-idp:DeleteUserPoolClientSecret', 'cognito.clientId'));
  }
}
