import type { Override } from './core/config-file.js';

/**
 * Every input a user can give by flag or environment variable (§3), declared once: commander options,
 * the environment lookup, the "missing inputs" message and the README all come from this table.
 * Precedence: flag > environment variable > config file > default.
 */
export interface InputSpec {
  key: InputKey;
  flag: string;
  env: string;
  /** Where the value goes in the config file. */
  path: readonly [string, string];
  description: string;
  /** Needed by init when no config file supplies it. */
  required: boolean;
  placeholder: string;
  /** The only values the flag takes (a wrong one is a usage error). */
  choices?: readonly string[];
}

export type InputKey = 'creatioUrl' | 'deployment' | 'userPoolId' | 'region' | 'domain' | 'clientId' | 'displayName';

export const INPUTS: readonly InputSpec[] = [
  {
    key: 'creatioUrl',
    flag: '--creatio-url',
    env: 'CREATIO_SSO_CREATIO_URL',
    path: ['creatio', 'url'],
    required: true,
    placeholder: 'url',
    description: 'Creatio site root, e.g. https://acme.creatio.com',
  },
  {
    key: 'deployment',
    flag: '--deployment',
    env: 'CREATIO_SSO_DEPLOYMENT',
    path: ['creatio', 'deployment'],
    required: false,
    placeholder: 'cloud|on-site',
    choices: ['cloud', 'on-site'],
    description: 'cloud (default) or on-site',
  },
  {
    key: 'userPoolId',
    flag: '--user-pool-id',
    env: 'CREATIO_SSO_USER_POOL_ID',
    path: ['cognito', 'userPoolId'],
    required: true,
    placeholder: 'id',
    description: 'Cognito user pool ID, e.g. eu-west-1_AbCdEf123',
  },
  {
    key: 'region',
    flag: '--region',
    env: 'CREATIO_SSO_REGION',
    path: ['cognito', 'region'],
    required: false,
    placeholder: 'region',
    description: 'AWS region (default: from the user pool ID)',
  },
  {
    key: 'domain',
    flag: '--domain',
    env: 'CREATIO_SSO_DOMAIN',
    path: ['cognito', 'domain'],
    required: true,
    placeholder: 'domain',
    description: 'hosted UI domain: prefix (acme-login) or custom host (auth.acme.com)',
  },
  {
    key: 'clientId',
    flag: '--client-id',
    env: 'CREATIO_SSO_CLIENT_ID',
    path: ['cognito', 'clientId'],
    required: true,
    placeholder: 'id',
    description: 'Cognito app client ID',
  },
  {
    key: 'displayName',
    flag: '--display-name',
    env: 'CREATIO_SSO_DISPLAY_NAME',
    path: ['provider', 'displayName'],
    required: false,
    placeholder: 'name',
    description: 'name on the Creatio login page (default: Cognito AWS)',
  },
];

export const SECRET_ENV = 'CREATIO_SSO_CLIENT_SECRET';
/** The variable name written into a config when the secret came from a prompt or stdin. */
export const DEFAULT_SECRET_ENV_NAME = 'COGNITO_CLIENT_SECRET';
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** commander's camel-cased option names for the flags above. */
export const optionName = (flag: string): string => flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export type InputValues = Partial<Record<InputKey, string>>;

export interface InputSource {
  value: string;
  /** `--client-id` or `CREATIO_SSO_CLIENT_ID`, for messages. */
  from: string;
}

/** Values given by flag or environment variable, flags first. Empty environment variables count as unset. */
export function inputsFromFlagsAndEnv(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<InputKey, InputSource> {
  const found = new Map<InputKey, InputSource>();
  for (const spec of INPUTS) {
    const flagValue = flags[optionName(spec.flag)];
    if (typeof flagValue === 'string') {
      found.set(spec.key, { value: flagValue, from: spec.flag });
      continue;
    }
    const envValue = env[spec.env];
    if (envValue !== undefined && envValue !== '') found.set(spec.key, { value: envValue, from: spec.env });
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

/** Flag and environment values that win over the config file (§3), as overrides of its paths. */
export function overridesFrom(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Override[] {
  const given = inputsFromFlagsAndEnv(flags, env);
  return INPUTS.filter((i) => given.has(i.key)).map((i) => ({
    path: i.path,
    value: given.get(i.key)!.value,
    from: given.get(i.key)!.from,
  }));
}
