import { checkConfig, checkPartialConfig, type ResolvedConfig } from './checks.js';
import { parseConfigText, parseConfigValue } from './file.js';
import { type Override } from './positions.js';
import { type ParsedConfig } from './parse.js';
import type { Finding } from '../findings.js';
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
  return checkParsed(parseConfigText(text, overrides));
}

/** Check an already parsed config: the same findings the same data gets as a file, without positions. */
export function validateConfigValue(value: unknown): ConfigValidation {
  return checkParsed(parseConfigValue(value));
}

function checkParsed(parsed: ParsedConfig): ConfigValidation {
  const { locate } = parsed;
  if (!parsed.config) {
    if (!parsed.raw) return { findings: parsed.findings, locate };
    // The schema broke somewhere: still check every value that is there, so one run shows every mistake.
    const flagged = new Set(parsed.findings.map((f) => f.path));
    const values = checkPartialConfig(parsed.raw)
      .filter((f) => !flagged.has(f.path))
      .map(locate);
    return { findings: byPosition([...parsed.findings, ...values]), locate };
  }
  const checked = checkConfig(parsed.config);
  return { config: parsed.config, resolved: checked.resolved, findings: checked.findings.map(locate), locate };
}

/** Findings in file order, so a report reads top to bottom. */
const byPosition = (findings: Finding[]): Finding[] =>
  findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.line ?? 0) - (b.f.line ?? 0) || (a.f.column ?? 0) - (b.f.column ?? 0) || a.i - b.i)
    .map(({ f }) => f);
