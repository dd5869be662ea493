import { checkConfig, type ResolvedConfig } from './checks.js';
import { parseConfigText, type Override } from './config-file.js';
import type { Finding } from './findings.js';
import type { Config } from './schema.js';

export interface ConfigValidation {
  config?: Config;
  resolved?: ResolvedConfig;
  /** Every offline finding, placed at its line and column. */
  findings: Finding[];
}

/** Parse and check a config file's text: the offline half of `validate`. */
export function validateConfigText(text: string, overrides: readonly Override[] = []): ConfigValidation {
  const parsed = parseConfigText(text, overrides);
  if (!parsed.config) return { findings: parsed.findings };
  const checked = checkConfig(parsed.config);
  return { config: parsed.config, resolved: checked.resolved, findings: checked.findings.map(parsed.locate) };
}
