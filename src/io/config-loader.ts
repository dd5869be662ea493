import path from 'node:path';
import type { ResolvedConfig } from '../core/config/checks.js';
import { decodeConfigBytes } from '../core/config/bytes.js';
import { type Override } from '../core/config/positions.js';
import type { Finding } from '../core/findings.js';
import type { Config } from '../core/config/schema.js';
import { validateConfigText } from '../core/config/validate.js';
import { readConfigBytesSync, unreadableFinding, type ConfigText, type Read } from './config-read.js';

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
 * Read, parse and check one config file. A file that cannot be read becomes a finding, not an exception.
 * The read is synchronous: a config file is at most 64 KiB, and for many files one after another
 * (validate) a promise round-trip per system call costs more than the read itself.
 */
export function loadConfigFileSync(file: string, cwd: string, overrides: readonly Override[] = []): LoadedConfig {
  return checkRead(file, readConfigBytesSync(path.resolve(cwd, file)), overrides);
}

/** loadConfigFileSync behind a promise, for commands that read one file among other asynchronous work. */
export async function loadConfigFile(file: string, cwd: string, overrides: readonly Override[] = []): Promise<LoadedConfig> {
  return loadConfigFileSync(file, cwd, overrides);
}

/** Check a config file read by readConfigText, with flag and variable values applied over it: the pure half. */
export function checkConfigText(read: ConfigText, overrides: readonly Override[] = []): LoadedConfig {
  if ('finding' in read) return { file: read.file, findings: [read.finding], locate: (f) => f };
  return { file: read.file, ...validateConfigText(read.text, overrides) };
}

function checkRead(file: string, read: Read, overrides: readonly Override[]): LoadedConfig {
  if ('why' in read) return unreadable(file, read.why);
  const decoded = decodeConfigBytes(read.bytes);
  if (decoded.text === undefined) return { file, findings: [decoded.finding!], locate: (f) => f };
  return { file, ...validateConfigText(decoded.text, overrides) };
}

const unreadable = (file: string, why: string): LoadedConfig => ({ file, findings: [unreadableFinding(file, why)], locate: (f) => f });
