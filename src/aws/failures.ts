/**
 * SDK errors → findings (§11). The SDK's errors carry a `name` (the service's exception type) and, when
 * AWS answered at all, `$metadata.httpStatusCode`; an error without an answer is a network failure.
 */
import { finding, type Finding } from '../core/findings.js';
import { clipValue } from '../core/text.js';
import { AwsCredentialsError } from './client.js';

/** Exception types that mean "these credentials are unusable", not "this action is not allowed". */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

/** Cognito's rate limit (TooManyRequestsException) and the SDK's generic names for it. */
const THROTTLING_ERRORS = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
]);

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const asSdkError = (error: unknown): SdkErrorLike => (typeof error === 'object' && error !== null ? (error as SdkErrorLike) : {});

export const errorName = (error: unknown): string => asSdkError(error).name ?? 'Error';

/** The first line of an SDK message, clipped: AWS's own words, never a secret (requests carry none). */
const brief = (error: unknown): string => {
  const message = asSdkError(error).message ?? String(error);
  const line = message.split('\n')[0]!.trim();
  return clipValue(line, 200);
};

export const isNotFound = (error: unknown): boolean => errorName(error) === 'ResourceNotFoundException';

/**
 * The finding for a failed call. `action` is the IAM action (`cognito-idp:DescribeUserPoolClient`);
 * `path` the config key the call was about. ResourceNotFoundException is the caller's to interpret.
 */
export function awsFailure(error: unknown, action: string, path: string): Finding {
  const e = asSdkError(error);
  const name = errorName(error);
  if (error instanceof AwsCredentialsError || CREDENTIAL_ERRORS.has(name)) {
    return finding('aws/credentials', '', `AWS credentials could not be used for ${action}: ${brief(error)}`);
  }
  // The admin API is authorized by IAM: NotAuthorizedException here is IAM's refusal, not a user's.
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'NotAuthorizedException') {
    return finding(
      'aws/access-denied',
      path,
      `AWS denied ${action}: allow this action for these credentials in the IAM policy (docs/aws.md, "IAM policy per command"). AWS said: ${brief(error)}`,
    );
  }
  // §11: still throttled after the adaptive retries: could not be checked now, never a failure of the config.
  if (THROTTLING_ERRORS.has(name)) {
    const attempts = e.$metadata?.attempts;
    return finding(
      'aws/throttled',
      path,
      `Cognito kept answering "too many requests" to ${action}${attempts ? ` (${attempts} attempts)` : ''}: its rate limits are shared by everything using this AWS account. Try again later, or check fewer environments at once.`,
    );
  }
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) {
    const what = name === 'TimeoutError' || e.code === 'ETIMEDOUT' ? 'timed out' : `failed (${e.code ?? name})`;
    return finding(
      'aws/unreachable',
      path,
      `The AWS API did not answer: ${action} ${what}. Check the network, HTTPS_PROXY/NO_PROXY and --timeout.`,
    );
  }
  return finding('aws/unreachable', path, `${action} could not be completed: AWS answered ${status} ${name}: ${brief(error)}`);
}
