import { issuerHost } from './cognito/identifiers.js';
import { callbackUrlOf, signOutUrlOf } from './creatio/identifiers.js';

export interface DerivedUrls {
  /** Creatio's `Url` column: the hosted UI domain. */
  providerUrl: string;
  discoveryUrl: string;
  /** Creatio's `EndSessionEndpointUrl`, with `{client_id}`, `{redirect_uri}` and `{state}` kept for Creatio to fill in. */
  endSessionEndpoint: string;
  issuer: string;
  jwksUri: string;
  callbackUrl?: string;
  signOutUrl?: string;
}

export interface UrlInputs {
  userPoolId: string;
  region: string;
  /** Host of the hosted UI domain (prefix host or custom domain). */
  domainHost: string;
  /** Creatio site root, already normalized. */
  creatioUrl?: string;
}

export const issuerOf = (region: string, userPoolId: string): string => `https://${issuerHost(region)}/${userPoolId}`;

/** Every URL Creatio and Cognito need, derived from the pool, its domain and the Creatio site root. */
export function deriveUrls({ userPoolId, region, domainHost, creatioUrl }: UrlInputs): DerivedUrls {
  const issuer = issuerOf(region, userPoolId);
  const providerUrl = `https://${domainHost}`;
  const urls: DerivedUrls = {
    providerUrl,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    endSessionEndpoint: `${providerUrl}/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}`,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
  };
  if (creatioUrl !== undefined) {
    urls.callbackUrl = callbackUrlOf(creatioUrl);
    urls.signOutUrl = signOutUrlOf(creatioUrl);
  }
  return urls;
}
