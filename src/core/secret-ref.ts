/**
 * How a config file names its client secret: `${env:NAME}`, a reference to an environment variable.
 * Kept apart from the zod schema so that commands which never read a file (`urls`) need not load zod.
 */
export const SECRET_REF_PATTERN = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

export type SecretRef = { kind: 'env'; name: string } | { kind: 'literal'; value: string };

export function parseSecretRef(value: string): SecretRef {
  const m = SECRET_REF_PATTERN.exec(value.trim());
  return m ? { kind: 'env', name: m[1]! } : { kind: 'literal', value };
}

export const secretRefOf = (envName: string): string => `\${env:${envName}}`;
