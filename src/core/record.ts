import type { ResolvedConfig } from './config/checks.js';
import { COGNITO_SSO_TEMPLATE_ID, CREATIO_SCOPES } from './creatio/identifiers.js';

/** creatio-sso-record.json: what Creatio needs, in Creatio's own names (SsoOpenIdProvider, OpenIdFieldNameMap, …). Holds the secret. */
export interface CreatioSsoRecord {
  SsoOpenIdProvider: {
    Name: string;
    SsoSettingsTemplate: string;
    ClientID: string;
    ClientSecret: string;
    Url: string;
    DiscoveryUrl: string;
    EndSessionEndpointUrl: string;
    IsDefault: boolean;
  };
  SsoServiceProvider: { UseJit: boolean; SspUseJit: boolean };
  OpenIdFieldNameMap: { OpenIdClaimName: string; EntityFieldName: string }[];
  Features: { EnableOpenIDAuth: true };
  SysSettings: { MobileUseSSO: boolean };
}

export function buildRecord(c: ResolvedConfig, clientSecret: string): CreatioSsoRecord {
  return {
    SsoOpenIdProvider: {
      Name: c.displayName,
      SsoSettingsTemplate: COGNITO_SSO_TEMPLATE_ID,
      ClientID: c.clientId,
      ClientSecret: clientSecret,
      Url: c.urls.providerUrl,
      DiscoveryUrl: c.urls.discoveryUrl,
      EndSessionEndpointUrl: c.urls.endSessionEndpoint,
      IsDefault: c.isDefault,
    },
    SsoServiceProvider: { UseJit: c.jit.employees, SspUseJit: c.jit.externalUsers },
    OpenIdFieldNameMap: c.jit.claims.map(([OpenIdClaimName, EntityFieldName]) => ({ OpenIdClaimName, EntityFieldName })),
    Features: { EnableOpenIDAuth: true },
    SysSettings: { MobileUseSSO: c.mobileUseSso },
  };
}

/** cognito-app-client.json: input for `aws cognito-idp update-user-pool-client --cli-input-json`. No secret. */
export interface CognitoAppClientSettings {
  UserPoolId: string;
  ClientId: string;
  CallbackURLs: string[];
  LogoutURLs: string[];
  AllowedOAuthFlows: ['code'];
  AllowedOAuthScopes: string[];
  AllowedOAuthFlowsUserPoolClient: true;
  SupportedIdentityProviders: ['COGNITO'];
}

export function buildAppClient(c: ResolvedConfig): CognitoAppClientSettings {
  return {
    UserPoolId: c.userPoolId,
    ClientId: c.clientId,
    CallbackURLs: [c.urls.callbackUrl],
    LogoutURLs: [c.urls.signOutUrl],
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: [...CREATIO_SCOPES],
    AllowedOAuthFlowsUserPoolClient: true,
    SupportedIdentityProviders: ['COGNITO'],
  };
}

/** JSON as written to disk: two-space indent, final newline. */
export const toJsonFile = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
