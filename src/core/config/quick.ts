import { checkConfig } from './checks.js';
import { parseConfigTextWith, type SchemaJudge } from './parse.js';
import type { Override } from './positions.js';
import { acceptWith } from './plan.js';
import { CONFIG_PLAN } from './plan.generated.js';
import type { Config } from './schema.js';
import type { ConfigValidation } from './validate.js';

/**
 * validateConfigText without zod, for the common case: when the acceptor (config-plan.ts) takes the
 * file's value, zod would return the same config, so every finding (YAML's, the checks') is the same.
 * Undefined when the acceptor declines: then validateConfigText, with zod, words the schema findings.
 * `overrides` (flags and variables over the file) as validateConfigText takes them.
 */
export function quickValidateConfigText(text: string, overrides: readonly Override[] = []): ConfigValidation | undefined {
  let declined = false;
  const judge: SchemaJudge = (value) => {
    const config = acceptWith<Config>(CONFIG_PLAN, value);
    if (config) return { config, findings: [] };
    declined = true;
    return { findings: [] };
  };
  const parsed = parseConfigTextWith(judge, text, overrides);
  if (declined) return undefined;
  const { locate } = parsed;
  if (!parsed.config) return { findings: parsed.findings, locate };
  const checked = checkConfig(parsed.config);
  return { config: parsed.config, resolved: checked.resolved, findings: checked.findings.map(locate), locate };
}
