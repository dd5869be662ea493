import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../core/checks.js';
import { decodeConfigBytes, MAX_CONFIG_BYTES, type Override } from '../core/config-file.js';
import { finding, type Finding } from '../core/findings.js';
import type { Config } from '../core/schema.js';
import { validateConfigText } from '../core/validate.js';

export const DEFAULT_CONFIG_FILES = ['creatio-sso.yaml', 'creatio-sso.yml', 'creatio-sso.json'] as const;

/** The config file in `cwd` when none is named: creatio-sso.yaml, .yml or .json. */
export async function findDefaultConfig(cwd: string): Promise<string | undefined> {
  for (const name of DEFAULT_CONFIG_FILES) {
    try {
      await fs.access(path.join(cwd, name));
      return name;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

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

/** Read, parse and check one config file. A file that cannot be read becomes a finding, not an exception. */
export async function loadConfigFile(file: string, cwd: string, overrides: readonly Override[] = []): Promise<LoadedConfig> {
  let bytes: Uint8Array;
  try {
    const full = path.resolve(cwd, file);
    const stat = await fs.stat(full);
    if (stat.isDirectory()) return unreadable(file, 'it is a folder; name a YAML or JSON file');
    if (stat.size > MAX_CONFIG_BYTES) return unreadable(file, `it is ${stat.size} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes`);
    bytes = await fs.readFile(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return unreadable(file, why);
  }
  const decoded = decodeConfigBytes(bytes);
  if (decoded.text === undefined) return { file, findings: [decoded.finding!], locate: (f) => f };
  return { file, ...validateConfigText(decoded.text, overrides) };
}

const unreadable = (file: string, why: string): LoadedConfig => ({
  file,
  findings: [{ ...finding('config/parse', '', `Cannot read ${file}: ${why}.`), line: 1, column: 1 }],
  locate: (f) => f,
});
