import { accessSync, closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import path from 'node:path';
import { decodeConfigBytes, MAX_CONFIG_BYTES } from '../core/config/bytes.js';
import { finding, type Finding } from '../core/findings.js';
import { UsageError } from '../cli/errors.js';
import { DEFAULT_CONFIG_FILES } from '../settings/inputs.js';

/*
 * Reading a config file, without judging it: no YAML or schema library loads here (config-loader.ts
 * judges; `validate` reads through this alone when the file is valid).
 */

/** The config file in `cwd` when none is named: creatio-sso.yaml, .yml or .json. */
export async function findDefaultConfig(cwd: string): Promise<string | undefined> {
  for (const name of DEFAULT_CONFIG_FILES) {
    try {
      // Synchronous, as the reads below: node:fs/promises would bring readline and the REPL's history with it.
      accessSync(path.join(cwd, name));
      return name;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

export type Read = { bytes: Uint8Array } | { why: string };

/** A config file's text, or the finding that says why it cannot be read. */
export type ConfigText = { file: string; text: string } | { file: string; finding: Finding };

/** Read one config file as text (UTF-8, at most MAX_CONFIG_BYTES): the input half of loadConfigFileSync. */
export function readConfigText(file: string, cwd: string): ConfigText {
  const read = readConfigBytesSync(path.resolve(cwd, file));
  if ('why' in read) return { file, finding: unreadableFinding(file, read.why) };
  const decoded = decodeConfigBytes(read.bytes);
  if (decoded.text === undefined) return { file, finding: decoded.finding! };
  return { file, text: decoded.text };
}

/*
 * A config file is a regular file of at most MAX_CONFIG_BYTES. It is opened without blocking and read
 * with a cap, so a pipe, a device such as /dev/zero or a file that grows meanwhile can neither hang
 * the run nor fill memory.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function refusal(stat: Stats): string | undefined {
  if (stat.isDirectory()) return 'it is a folder; name a YAML or JSON file';
  if (!stat.isFile()) return 'it is not a regular file (a device, pipe or socket); name a YAML or JSON file';
  if (stat.size > MAX_CONFIG_BYTES) return `it is ${stat.size} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes`;
  return undefined;
}

/** One byte more than fstat announced tells a file that grew meanwhile. */
const bufferFor = (stat: Stats) => Buffer.allocUnsafe(stat.size + 1);
const readResult = (buffer: Buffer, length: number): Read =>
  length === buffer.length ? { why: 'it grew while it was read; run again when it is complete' } : { bytes: buffer.subarray(0, length) };

export function readConfigBytesSync(full: string): Read {
  let fd: number;
  try {
    fd = openSync(full, OPEN_FLAGS);
  } catch (e) {
    return { why: describeError(e) };
  }
  try {
    const stat = fstatSync(fd);
    const refused = refusal(stat);
    if (refused) return { why: refused };
    const buffer = bufferFor(stat);
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return readResult(buffer, length);
  } catch (e) {
    return { why: describeError(e) };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing to do: the descriptor is gone either way
    }
  }
}

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder; name a YAML or JSON file';
  if (code === 'ELOOP') return 'it is a loop of symbolic links';
  if (code === 'ENOTDIR') return 'a part of its path is not a folder';
  return e instanceof Error ? e.message : String(e);
}

export const unreadableFinding = (file: string, why: string): Finding => ({
  ...finding('config/parse', '', `Cannot read ${file}: ${why}.`),
  line: 1,
  column: 1,
});

/** The config file a command reads: --config, else the default file here; none at all is a usage error. */
export async function configFileFrom(named: string | undefined, cwd: string): Promise<string> {
  const file = named ?? (await findDefaultConfig(cwd));
  if (!file)
    throw new UsageError(
      'No config file: pass --config <file>, or run in a folder with creatio-sso.yaml (create one with creatio-sso init).',
    );
  return file;
}
