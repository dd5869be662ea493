import type { ResolvedConfig } from '../core/config/checks.js';
import { type Override } from '../core/config/positions.js';
import type { Finding } from '../core/findings.js';
import type { Config } from '../core/config/schema.js';
import { quickValidateConfigText } from '../core/config/quick.js';
import type { ConfigText } from './config-read.js';

export interface LoadedConfig {
  /** The file as the user named it. */
  file: string;
  config?: Config;
  resolved?: ResolvedConfig;
  /** Offline findings, placed at their line and column. */
  findings: Finding[];
  /** Place a later finding (a live check, the secret) at the line/column of its path. */
  locate: (f: Finding) => Finding;
}

/**
 * The one way a command checks a config file (read by readConfigText): the file with `overrides` applied
 * (flags and variables over it, or plan's stand-in client ID), checked as `validate` checks a file. Without
 * zod when the result matches the schema (core/config/quick.ts); zod loads only to word what does not. A
 * file that could not be read is its finding, not an exception.
 */
export async function loadConfig(read: ConfigText, overrides: readonly Override[] = []): Promise<LoadedConfig> {
  if ('finding' in read) return { file: read.file, findings: [read.finding], locate: (f) => f };
  const quick = quickValidateConfigText(read.text, overrides);
  if (quick) return { file: read.file, ...quick };
  const { validateConfigText } = await import('../core/config/validate.js');
  return { file: read.file, ...validateConfigText(read.text, overrides) };
}
