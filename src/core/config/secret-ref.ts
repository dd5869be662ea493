/**
 * How a config file names its client secret: `${env:NAME}`, a reference to an environment variable.
 * Kept apart from the zod schema so that commands which never read a file (`urls`) need not load zod.
 */
export const SECRET_REF_PATTERN = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

export type SecretRef = { kind: 'env'; name: string } | { kind: 'literal'; value: string };

/**
 * Any `${env:…}`, also one whose name is not a variable name: the checks refuse such a name (§10
 * `client-secret/secret-as-name`) instead of taking the whole text for a literal secret.
 */
const ANY_ENV_REF = /^\$\{env:([^{}]*)\}$/;

export function parseSecretRef(value: string): SecretRef {
  const m = ANY_ENV_REF.exec(value.trim());
  return m ? { kind: 'env', name: m[1]! } : { kind: 'literal', value };
}

export const secretRefOf = (envName: string): string => `\${env:${envName}}`;
