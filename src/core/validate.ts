import { checkConfig, type ResolvedConfig } from './checks.js';
import { parseConfigText, type Override } from './config-file.js';
import type { Finding } from './findings.js';
import type { Config } from './schema.js';

export interface ConfigValidation {
  config?: Config;
  resolved?: ResolvedConfig;
  /** Every offline finding, placed at its line and column. */
  findings: Finding[];
  /** Place a later finding (a live check, the secret) at the line/column of its path. */
  locate: (f: Finding) => Finding;
}

/** Parse and check a config file's text: the offline half of `validate`. */
export function validateConfigText(text: string, overrides: readonly Override[] = []): ConfigValidation {
  const parsed = parseConfigText(text, overrides);
  const { locate } = parsed;
  if (!parsed.config) return { findings: parsed.findings, locate };
  const checked = checkConfig(parsed.config);
  return { config: parsed.config, resolved: checked.resolved, findings: checked.findings.map(locate), locate };
}
