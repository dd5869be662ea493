import type { Checked } from '../core/config/checks.js';
import { hasErrors, type Finding } from '../core/findings.js';
import type { InputKey, Sourced } from '../settings/inputs.js';
import { withSource } from '../core/text.js';

/**
 * What `init` knows before it asks anything: values from flags and environment variables (flag wins),
 * the secret from its source, and the switches given as flags. Both the wizard and the
 * non-interactive path start from this.
 */
export interface KnownInputs {
  given: Map<InputKey, Sourced<string>>;
  secret: KnownSecret;
  switches: Switches;
}

export interface Switches {
  jitEmployees?: boolean;
  jitExternalUsers?: boolean;
  mobileUseSso?: boolean;
}

export type KnownSecret =
  /**
   * Read from an environment variable or stdin. `envName` is what the config file will reference;
   * `named` when the user chose that name (--client-secret-env); `from` says where it came from, in words.
   */
  | { kind: 'value'; value: string; envName: string; named: boolean; from: string }
  /** --client-secret-env NAME, but NAME is not set. */
  | { kind: 'unset-env'; envName: string; named: true; from: string }
  | { kind: 'none' };

/** The first error's message, for a prompt's validate(). */
export const firstError = (findings: readonly Finding[]): string | undefined => findings.find((f) => f.severity === 'error')?.message;

/** The first error as a flag or variable gave it: its advice in that flag's words, else its source named. */
export const firstErrorFrom = (findings: readonly Finding[], from: string): string | undefined => {
  const f = findings.find((x) => x.severity === 'error');
  return f && withSource(f.message, from, f.path);
};

export const usable = <T>(c: Checked<T>): c is Checked<T> & { value: T } => c.value !== undefined && !hasErrors(c.findings);
