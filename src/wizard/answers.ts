import { Document } from 'yaml';
import type { ResolvedConfig } from '../core/config/checks.js';
import type { HostedUiDomain } from '../core/cognito/identifiers.js';
import { DEFAULT_DISPLAY_NAME } from '../core/creatio/identifiers.js';
import { configJsonSchema, type ConfigInput } from '../core/config/schema.js';
import type { Deployment } from '../core/creatio/identifiers.js';
import { secretRefOf } from '../core/config/secret-ref.js';
import { SECRET_ENV } from '../settings/inputs.js';

/**
 * What `init` collected, from prompts or from flags and environment variables, already checked and
 * normalized; and the pure functions that turn it into the config file and the equivalent command.
 */
export interface InitAnswers {
  creatioUrl: string;
  deployment: Deployment;
  userPoolId: string;
  /** Only when given or asked for; otherwise derived from the pool ID and left out of the file. */
  region?: string;
  domain: HostedUiDomain;
  clientId: string;
  /** The secret itself: goes into the record file only. */
  clientSecret: string;
  /** The environment variable the config file refers to: ${env:NAME}. */
  clientSecretEnv: string;
  displayName: string;
  jitEmployees: boolean;
  jitExternalUsers: boolean;
  mobileUseSso: boolean;
}

/** What a config file says, as answers to start the questions from; the secret only when its variable is set. */
export function answersOfConfig(r: ResolvedConfig, explicitRegion: string | undefined, env: NodeJS.ProcessEnv): Partial<InitAnswers> {
  const secretEnv = r.clientSecret.kind === 'env' ? r.clientSecret.name : undefined;
  const secret = secretEnv ? env[secretEnv] : r.clientSecret.kind === 'literal' ? r.clientSecret.value : undefined;
  return {
    creatioUrl: r.creatioUrl,
    deployment: r.deployment,
    userPoolId: r.userPoolId,
    region: explicitRegion,
    domain: r.domain,
    clientId: r.clientId,
    ...(secret ? { clientSecret: secret } : {}),
    ...(secretEnv ? { clientSecretEnv: secretEnv } : {}),
    displayName: r.displayName,
    jitEmployees: r.jit.employees,
    jitExternalUsers: r.jit.externalUsers,
    mobileUseSso: r.mobileUseSso,
  };
}

/** The domain as a user writes it: the prefix for a Cognito domain, the host for a custom one. */
export const domainText = (d: HostedUiDomain): string => (d.kind === 'prefix' ? d.prefix : d.host);

/** The config file's content (§4): the secret as a reference, never its value. */
export function configOf(a: InitAnswers): ConfigInput {
  return {
    version: 1,
    creatio: { url: a.creatioUrl, deployment: a.deployment },
    cognito: {
      userPoolId: a.userPoolId,
      ...(a.region !== undefined ? { region: a.region } : {}),
      domain: domainText(a.domain),
      clientId: a.clientId,
      clientSecret: secretRefOf(a.clientSecretEnv),
    },
    provider: { displayName: a.displayName, isDefault: false },
    jit: { employees: a.jitEmployees, externalUsers: a.jitExternalUsers },
    mobile: { useSso: a.mobileUseSso },
  };
}

/** The URL of the JSON Schema the package ships, for editors (the schema's own $id). */
export const schemaUrl = (): string => String(configJsonSchema().$id);

/** The config file's text: YAML with the schema comment line, or JSON with "$schema" when the name ends in .json. */
export function configText(a: InitAnswers, file: string): string {
  const config = configOf(a);
  if (/\.json$/i.test(file)) return `${JSON.stringify({ $schema: schemaUrl(), ...config }, null, 2)}\n`;
  const doc = new Document(config);
  doc.commentBefore = ` yaml-language-server: $schema=${schemaUrl()}`;
  const secret = doc.getIn(['cognito', 'clientSecret'], true) as { comment?: string } | undefined;
  if (secret) secret.comment = ` the value: environment variable ${a.clientSecretEnv}, never this file`;
  return doc.toString();
}

/** Quote for a POSIX shell, only when needed. */
export function shellQuote(s: string): string {
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CommandOptions {
  config: string;
  outDir: string;
  offline: boolean;
  /** Defaults the command may leave out. */
  defaults: { config: string; outDir: string };
}

/**
 * The `init --non-interactive` command that gives the same files (§5). The secret appears as the
 * name of the environment variable that holds it, never as a value: `NAME=… npx creatio-sso init …`.
 */
export function equivalentCommand(a: InitAnswers, o: CommandOptions): string {
  const args: string[] = ['--non-interactive', '--creatio-url', a.creatioUrl, '--deployment', a.deployment, '--user-pool-id', a.userPoolId];
  if (a.region !== undefined) args.push('--region', a.region);
  args.push('--domain', domainText(a.domain), '--client-id', a.clientId);
  if (a.displayName !== DEFAULT_DISPLAY_NAME) args.push('--display-name', a.displayName);
  if (a.jitEmployees) args.push('--jit-employees');
  if (a.jitExternalUsers) args.push('--jit-external-users');
  if (a.mobileUseSso) args.push('--mobile-sso');
  if (o.config !== o.defaults.config) args.push('--config', o.config);
  if (o.outDir !== o.defaults.outDir) args.push('--out-dir', o.outDir);
  if (o.offline) args.push('--offline');
  // CREATIO_SSO_CLIENT_SECRET is read without a flag; any other name needs --client-secret-env.
  if (a.clientSecretEnv !== SECRET_ENV) args.push('--client-secret-env', a.clientSecretEnv);
  return `${a.clientSecretEnv}=… npx creatio-sso init ${args.map(shellQuote).join(' ')}`;
}
