import { DEPLOYMENTS } from '../core/creatio/identifiers.js';

/**
 * Every input a user can give by flag or environment variable (§3), declared once: commander options,
 * the environment lookup and the "missing inputs" message come from this table; docs/commands.md is checked against it.
 * Precedence: flag > environment variable > config file > default. A key is the camel-cased flag,
 * which is also commander's name for the option.
 */
export interface InputSpec {
  key: string;
  flag: `--${string}`;
  /** The flag with its argument, as --help shows it; starts with `flag`. */
  usage: `--${string} <${string}>`;
  env: string;
  /** Where the value goes in the config file. */
  path: readonly [string, string];
  description: string;
  /** Needed by init when no config file supplies it. */
  required: boolean;
  /** The only values the flag takes (a wrong one is a usage error). */
  choices?: readonly string[];
}

export const INPUT_SPECS = {
  creatioUrl: {
    key: 'creatioUrl',
    flag: '--creatio-url',
    usage: '--creatio-url <url>',
    env: 'CREATIO_SSO_CREATIO_URL',
    path: ['creatio', 'url'],
    required: true,
    description: 'Creatio site root, e.g. https://acme.creatio.com',
  },
  deployment: {
    key: 'deployment',
    flag: '--deployment',
    usage: '--deployment <cloud|on-site>',
    env: 'CREATIO_SSO_DEPLOYMENT',
    path: ['creatio', 'deployment'],
    required: false,
    choices: DEPLOYMENTS,
    description: 'cloud (default) or on-site',
  },
  userPoolId: {
    key: 'userPoolId',
    flag: '--user-pool-id',
    usage: '--user-pool-id <id>',
    env: 'CREATIO_SSO_USER_POOL_ID',
    path: ['cognito', 'userPoolId'],
    required: true,
    description: 'Cognito user pool ID, e.g. eu-west-1_AbCdEf123',
  },
  region: {
    key: 'region',
    flag: '--region',
    usage: '--region <region>',
    env: 'CREATIO_SSO_REGION',
    path: ['cognito', 'region'],
    required: false,
    description: 'AWS region (default: from the user pool ID)',
  },
  domain: {
    key: 'domain',
    flag: '--domain',
    usage: '--domain <domain>',
    env: 'CREATIO_SSO_DOMAIN',
    path: ['cognito', 'domain'],
    required: true,
    description: 'hosted UI domain: prefix (acme-login) or custom host (auth.acme.com)',
  },
  clientId: {
    key: 'clientId',
    flag: '--client-id',
    usage: '--client-id <id>',
    env: 'CREATIO_SSO_CLIENT_ID',
    path: ['cognito', 'clientId'],
    required: true,
    description: 'Cognito app client ID',
  },
  displayName: {
    key: 'displayName',
    flag: '--display-name',
    usage: '--display-name <name>',
    env: 'CREATIO_SSO_DISPLAY_NAME',
    path: ['provider', 'displayName'],
    required: false,
    description: 'name on the Creatio login page (default: Cognito AWS)',
  },
  providerCode: {
    key: 'providerCode',
    flag: '--provider-code',
    usage: '--provider-code <code>',
    env: 'CREATIO_SSO_PROVIDER_CODE',
    path: ['provider', 'code'],
    required: false,
    description: 'code of the identity provider in Creatio (default: cognito-<first 8 of the client ID>)',
  },
} as const satisfies { [K in string]: InputSpec & { key: K } };

export type InputKey = keyof typeof INPUT_SPECS;
export const INPUTS: readonly (InputSpec & { key: InputKey })[] = Object.values(INPUT_SPECS);

/** What a command's input options hold after parsing: one optional string per input it declares. */
export type InputFlags = { readonly [K in InputKey]?: string };

/** Defaults, each written once: commander shows them in --help and applies them. */
export const DEFAULT_CONFIG_FILES = ['creatio-sso.yaml', 'creatio-sso.yml', 'creatio-sso.json'] as const;
export const DEFAULT_CONFIG_FILE = DEFAULT_CONFIG_FILES[0];
export const DEFAULT_OUT_DIR = 'creatio-sso';
export const DEFAULT_TIMEOUT_MS = 10_000;
/** `--timeout`'s value: whole milliseconds, 1–600000; undefined otherwise. */
export function timeoutOf(value: string): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n <= 600_000 ? n : undefined;
}
export const REPORT_FORMATS = ['text', 'json', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const DEFAULT_FORMAT: ReportFormat = 'text';

export const SECRET_ENV = 'CREATIO_SSO_CLIENT_SECRET';
/** The variable name written into a config when the secret came from a prompt or stdin. */
export const DEFAULT_SECRET_ENV_NAME = 'COGNITO_CLIENT_SECRET';
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a value came from, in the user's own words. */
export type Source =
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'default' };

export interface Sourced<T> {
  readonly value: T;
  readonly source: Source;
}

/** `--domain`, `CREATIO_SSO_DOMAIN`, `creatio-sso.yaml`, `the default`. */
export function sourceLabel(s: Source): string {
  switch (s.kind) {
    case 'flag':
      return s.flag;
    case 'env':
      return s.name;
    case 'file':
      return s.path;
    default:
      return 'the default';
  }
}

/**
 * The values given by flag or environment variable, each with its source: a flag wins over its variable,
 * and an empty variable counts as unset. The one reading of the inputs outside the config file.
 */
export function givenInputs(flags: InputFlags, env: NodeJS.ProcessEnv): Map<InputKey, Sourced<string>> {
  const found = new Map<InputKey, Sourced<string>>();
  for (const spec of INPUTS) {
    const flagValue = flags[spec.key];
    if (flagValue !== undefined) {
      found.set(spec.key, { value: flagValue, source: { kind: 'flag', flag: spec.flag } });
      continue;
    }
    const envValue = env[spec.env];
    if (envValue !== undefined && envValue !== '') found.set(spec.key, { value: envValue, source: { kind: 'env', name: spec.env } });
  }
  return found;
}

/** How the client secret is supplied. Never a value on argv. */
export type SecretSource = { kind: 'env'; name: string; from: string } | { kind: 'stdin' } | { kind: 'none' };

export function secretSourceFrom(flags: { clientSecretStdin?: boolean; clientSecretEnv?: string }, env: NodeJS.ProcessEnv): SecretSource {
  if (flags.clientSecretStdin) return { kind: 'stdin' };
  if (flags.clientSecretEnv) return { kind: 'env', name: flags.clientSecretEnv, from: '--client-secret-env' };
  if (env[SECRET_ENV] !== undefined && env[SECRET_ENV] !== '') return { kind: 'env', name: SECRET_ENV, from: SECRET_ENV };
  return { kind: 'none' };
}
