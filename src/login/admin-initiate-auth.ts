import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { errorTypeName, type AuthAnswer } from '../core/login.js';
import { secretHash } from './secret-hash.js';

/**
 * The login proof's sign-in with AWS credentials (SPEC §14): `AdminInitiateAuth` with
 * `ADMIN_USER_PASSWORD_AUTH` through the AWS SDK. It names the pool itself, so a pinned pool is enough (§10).
 * The SDK is imported lazily: commands that never sign in do not load it. The client comes from the
 * shared factory (src/aws/client.ts `cognitoClient`).
 */

export interface AdminInitiateAuthInput {
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
  username: string;
  password: string;
}

/** Sign the test user in with AdminInitiateAuth; never throws for a Cognito or network failure. */
export async function adminInitiateAuth(client: CognitoIdentityProviderClient, input: AdminInitiateAuthInput): Promise<AuthAnswer> {
  const { AdminInitiateAuthCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const authParameters: Record<string, string> = { USERNAME: input.username, PASSWORD: input.password };
  if (input.clientSecret !== undefined) authParameters.SECRET_HASH = secretHash(input.username, input.clientId, input.clientSecret);
  try {
    const out = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: input.userPoolId,
        ClientId: input.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: authParameters,
      }),
    );
    if (out.ChallengeName) return { kind: 'challenge', challengeName: out.ChallengeName };
    if (out.AuthenticationResult) {
      const idToken = out.AuthenticationResult.IdToken;
      return idToken ? { kind: 'signed-in', idToken } : { kind: 'no-id-token' };
    }
    return { kind: 'error', type: 'UnexpectedAnswer', message: 'no AuthenticationResult and no ChallengeName' };
  } catch (e) {
    return answerOfSdkError(e);
  }
}

/** An SDK failure as an AuthAnswer: a service error keeps its type and message; anything without an HTTP answer is unreachable. */
export function answerOfSdkError(e: unknown): AuthAnswer {
  const err = e as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number }; $fault?: unknown };
  const name = typeof err?.name === 'string' ? err.name : 'Error';
  const message = typeof err?.message === 'string' ? err.message : '';
  const status = err?.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    if (status >= 500 && err.$fault === 'server' && !/Exception$/.test(name))
      return { kind: 'unreachable', reason: `AWS answered HTTP ${status}` };
    return { kind: 'error', type: errorTypeName(name), message, status };
  }
  // The SDK's own chain, or the tool's (src/aws/client.ts): both mean no usable credentials, not an unreachable AWS.
  if (name === 'CredentialsProviderError' || name === 'AwsCredentialsError') {
    return { kind: 'error', type: 'CredentialsProviderError', message: 'no AWS credentials could be loaded' };
  }
  return { kind: 'unreachable', reason: `the AWS API did not answer (${name}${message ? `: ${message.slice(0, 160)}` : ''})` };
}
