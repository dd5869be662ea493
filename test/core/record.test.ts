import { expect, it } from 'vitest';
import { checkConfig } from '../../src/core/config/checks.js';
import { buildAppClient, buildRecord } from '../../src/core/record.js';
import { validateConfigText } from '../../src/core/config/validate.js';
import { EXAMPLE_YAML } from '../support/cli.js';

const resolved = () => validateConfigText(EXAMPLE_YAML).resolved!;

it('builds the §6 record for the §4 example', () => {
  expect(buildRecord(resolved(), '<resolved value>')).toStrictEqual({
    SsoOpenIdProvider: {
      Name: 'Cognito AWS',
      SsoSettingsTemplate: 'd48ff378-0271-49dc-8285-c1a430834b31',
      ClientID: '1h57kf5cpq17m0eml12eqe3alr',
      ClientSecret: '<resolved value>',
      Url: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
      DiscoveryUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
      EndSessionEndpointUrl:
        'https://acme-login.auth.eu-west-1.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}',
      IsDefault: false,
    },
    SsoServiceProvider: { UseJit: true, SspUseJit: false },
    OpenIdFieldNameMap: [{ OpenIdClaimName: 'phone_number', EntityFieldName: 'Contact:MobilePhone' }],
    Features: { EnableOpenIDAuth: true },
    SysSettings: { MobileUseSSO: false },
  });
});

it("keeps the record keys in Creatio's order", () => {
  const record = buildRecord(resolved(), 's');
  expect(Object.keys(record)).toEqual(['SsoOpenIdProvider', 'SsoServiceProvider', 'OpenIdFieldNameMap', 'Features', 'SysSettings']);
  expect(Object.keys(record.SsoOpenIdProvider)).toEqual([
    'Name',
    'SsoSettingsTemplate',
    'ClientID',
    'ClientSecret',
    'Url',
    'DiscoveryUrl',
    'EndSessionEndpointUrl',
    'IsDefault',
  ]);
});

it('builds the app client settings without the secret', () => {
  const client = buildAppClient(resolved());
  expect(client).toStrictEqual({
    UserPoolId: 'eu-west-1_AbCdEf123',
    ClientId: '1h57kf5cpq17m0eml12eqe3alr',
    CallbackURLs: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback'],
    LogoutURLs: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback'],
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
    AllowedOAuthFlowsUserPoolClient: true,
    SupportedIdentityProviders: ['COGNITO'],
  });
});

it('turns JIT, default provider and mobile switches into Creatio names', () => {
  const text = EXAMPLE_YAML.replace('isDefault: false', 'isDefault: true')
    .replace('externalUsers: false', 'externalUsers: true')
    .replace('useSso: false', 'useSso: true');
  const r = checkConfig(validateConfigText(text).config!).resolved!;
  const record = buildRecord(r, 's');
  expect(record.SsoOpenIdProvider.IsDefault).toBe(true);
  expect(record.SsoServiceProvider).toEqual({ UseJit: true, SspUseJit: true });
  expect(record.SysSettings).toEqual({ MobileUseSSO: true });
});
