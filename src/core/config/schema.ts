import * as z from 'zod';
import { DEFAULT_DISPLAY_NAME, DEPLOYMENTS, PROVIDER_CODE_PATTERN } from '../creatio/identifiers.js';

/**
 * The config file (YAML or JSON, committable: the secret is a reference), the single source of truth: it validates files, flags, environment variables
 * and wizard answers, and generates schema/creatio-sso.schema.json. Value rules beyond types (URL
 * shapes, Cognito patterns) live in checks.ts so they can report precise, fixable findings.
 */

export const DeploymentSchema = z.enum(DEPLOYMENTS);

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema (for editors).'),
    version: z.literal(1).describe('Format version of this file.'),
    creatio: z
      .strictObject({
        url: z
          .string()
          .min(1)
          .describe('Creatio site root, e.g. https://acme.creatio.com (may contain an application path such as /Demo_1).'),
        deployment: DeploymentSchema.default('cloud').describe('cloud, or on-site (needs the EnableOpenIDAuth feature switched on).'),
      })
      .describe('The Creatio site.'),
    cognito: z
      .strictObject({
        userPoolId: z.string().min(1).describe('User pool ID, e.g. eu-west-1_AbCdEf123.'),
        region: z.string().min(1).optional().describe('AWS region; derived from userPoolId when omitted.'),
        domain: z.string().min(1).describe('Hosted UI domain: a prefix (acme-login) or a custom host (auth.acme.com).'),
        clientId: z.string().min(1).describe('App client ID.'),
        clientSecret: z
          .string()
          .min(1)
          .describe(
            'App client secret as a reference to an environment variable: ${env:NAME}. A literal value is accepted with a warning.',
          ),
      })
      .describe('The Cognito user pool and app client.'),
    provider: z
      .strictObject({
        displayName: z.string().min(1).default(DEFAULT_DISPLAY_NAME).describe('Name of the provider on the Creatio login page.'),
        code: z
          .string()
          .optional()
          .meta({ pattern: PROVIDER_CODE_PATTERN.source })
          .describe("Creatio's SsoProvider.Code; default cognito- and the first 8 characters of clientId, lower-cased."),
        isDefault: z.boolean().default(false).describe('Make this the default SSO provider.'),
      })
      .default({ displayName: DEFAULT_DISPLAY_NAME, isDefault: false })
      .describe('The SsoOpenIdProvider record.'),
    jit: z
      .strictObject({
        employees: z.boolean().default(false).describe('Just-In-Time provisioning of employees (SsoServiceProvider.UseJit).'),
        externalUsers: z.boolean().default(false).describe('Just-In-Time provisioning of external users (SsoServiceProvider.SspUseJit).'),
        claims: z
          .record(z.string().min(1), z.string())
          .default({})
          .describe('OpenIdFieldNameMap rows: claim name → Contact:<Column> or SysAdminUnit:<Column>.'),
      })
      .default({ employees: false, externalUsers: false, claims: {} })
      .describe('Just-In-Time user provisioning.'),
    mobile: z
      .strictObject({
        useSso: z.boolean().default(false).describe('Sign in to the mobile app with SSO (system setting MobileUseSSO).'),
      })
      .default({ useSso: false })
      .describe('Creatio mobile app.'),
  })
  .describe('creatio-sso configuration: Creatio single sign-on with AWS Cognito.');

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** The JSON Schema shipped in the package, generated from ConfigSchema. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  // §15: a config may leave cognito.clientId out until `apply --create-client` creates the client and
  // writes it there (validate warns, client-id/missing): an editor must not mark that file as broken.
  const cognito = (schema.properties as Record<string, { required?: string[]; properties?: Record<string, { description?: string }> }>)
    .cognito;
  if (cognito?.required) cognito.required = cognito.required.filter((k) => k !== 'clientId');
  const clientId = cognito?.properties?.clientId;
  if (clientId) clientId.description = 'App client ID; may be left out until apply --create-client creates the client and writes it here.';
  return {
    $schema: schema.$schema,
    $id: 'https://unpkg.com/creatio-sso/schema/creatio-sso.schema.json',
    title: 'creatio-sso configuration',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
