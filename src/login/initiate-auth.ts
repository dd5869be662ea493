import { readAuthAnswer, type AuthAnswer } from '../core/login.js';
import { NetworkError, type HttpClient, type HttpRequest } from '../net/types.js';
import { secretHash } from './secret-hash.js';

/**
 * The login proof's sign-in without AWS credentials (SPEC §14): `InitiateAuth` with `USER_PASSWORD_AUTH`,
 * sent through the tool's own HTTP layer, so CREATIO_SSO_COGNITO_IDP_URL, the proxy settings, --timeout
 * and the size limit apply as to every other request to the cognito-idp host.
 */

export interface InitiateAuthInput {
  region: string;
  clientId: string;
  /** The app client's secret; absent for a client without one (no SECRET_HASH is sent then). */
  clientSecret?: string;
  username: string;
  password: string;
}

/** The canonical URL of Cognito's user pools API in a region (the HTTP layer applies the override). */
export const cognitoIdpApiUrl = (region: string): string => `https://cognito-idp.${region}.amazonaws.com/`;

/**
 * The one place that marks a request as carrying the test user's password (SPEC §10 "Credentials follow
 * their source"): the HTTP layer's credential guard lets such a request go to the cognito-idp API root only.
 */
export function carryingTestPassword(req: HttpRequest): HttpRequest {
  return { ...req, credential: { kind: 'test-password', allowedHosts: [new URL(req.url).host] } };
}

export function initiateAuthRequest(input: InitiateAuthInput): HttpRequest {
  const authParameters: Record<string, string> = { USERNAME: input.username, PASSWORD: input.password };
  if (input.clientSecret !== undefined) authParameters.SECRET_HASH = secretHash(input.username, input.clientId, input.clientSecret);
  return carryingTestPassword({
    method: 'POST',
    url: cognitoIdpApiUrl(input.region),
    headers: {
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      'Content-Type': 'application/x-amz-json-1.1',
    },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: input.clientId, AuthParameters: authParameters }),
    // An answer holds three tokens of a few KiB each; 256 KiB is plenty and bounds a hostile answer.
    maxBytes: 256 * 1024,
  });
}

/** Sign the test user in; never throws for a network failure (that is an 'unreachable' answer). */
export async function initiateAuth(http: HttpClient, input: InitiateAuthInput): Promise<AuthAnswer> {
  try {
    const res = await http.request(initiateAuthRequest(input));
    return readAuthAnswer(res.status, res.body);
  } catch (e) {
    if (e instanceof NetworkError) return { kind: 'unreachable', reason: e.message };
    throw e;
  }
}
