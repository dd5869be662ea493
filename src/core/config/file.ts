import { schemaFindings } from './messages.js';
import { EMPTY, parseConfigTextWith, type ParsedConfig } from './parse.js';
import { type Override } from './positions.js';
import { finding, type Finding } from '../findings.js';
import { ConfigSchema } from './schema.js';

/**
 * Parse a config file's text (YAML, or JSON, which is YAML) into the schema's shape, with every
 * finding placed at its line and column. Pure: the caller reads the file. The parsing, guards,
 * positions and wording live beside this file (config-parse.ts), one concern each; the schema is zod's.
 */
export function parseConfigText(text: string, overrides: readonly Override[] = []): ParsedConfig {
  return parseConfigTextWith(judgeConfigValue, text, overrides);
}

/**
 * An already parsed config (the library's `validateConfig(object)`): judged exactly as the same data
 * read from a file, without positions.
 */
export function parseConfigValue(value: unknown): ParsedConfig {
  const locate = (f: Finding) => f;
  if (value === null || value === undefined) return { findings: [finding('config/schema', '', EMPTY)], locate };
  return { ...judgeConfigValue(value, (f) => f), locate };
}

function judgeConfigValue(value: unknown, place: (f: Finding, atKey: boolean) => Finding): Omit<ParsedConfig, 'locate'> {
  // reportInput tells a missing key (input undefined) from a wrong type; messages never quote values.
  const result = ConfigSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const findings = schemaFindings(result.error).map(({ f, atKey }) => place(f, atKey));
    const raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    return { findings, ...(raw ? { raw } : {}) };
  }
  return { config: result.data, findings: [] };
}
