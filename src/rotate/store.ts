/**
 * Where `rotate` keeps the new secret (§16 steps 0 and 3): the record file in `--out-dir` (the whole
 * Creatio record, as `generate` writes it, with the new secret), a file `--secret-out` names (the secret
 * and a line break), or stdout (`--secret-out -`, the one deliberate pipe). Files are written 0600, all or
 * nothing, through the file writer. The same files are read back on a later run: they and the live state
 * are everything a resumed rotation knows.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Context } from '../cli/context.js';
import type { ResolvedConfig } from '../core/config/checks.js';
import { buildRecord, toJsonFile } from '../core/record.js';
import { NEW_SECRET_SHAPE } from '../core/rotate.js';
import { UsageError } from '../cli/errors.js';
import { writeFiles } from '../io/files.js';
import { jsonVisible } from '../core/text.js';

export type SecretPlace =
  { kind: 'stdout' } | { kind: 'file'; path: string; shown: string; format: 'raw' | 'record'; flag: '--secret-out' | '--out-dir' };

export interface StoredSecret {
  value?: string;
  /** When the file was last written (ms since the epoch). */
  writtenAt?: number;
  /** The file as it was, to put back when the new secret is refused. */
  text?: string;
}

/** What a secret file holds: the record file's ClientSecret, or a file that is one secret-shaped line. */
export function secretInFile(text: string): string | undefined {
  const trimmed = text.replace(/\r?\n$/, '');
  if (NEW_SECRET_SHAPE.test(trimmed)) return trimmed;
  try {
    const doc = JSON.parse(text) as { SsoOpenIdProvider?: { ClientSecret?: unknown } };
    const value = doc?.SsoOpenIdProvider?.ClientSecret;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Step 0's check of the place, and what it already holds (a secret an earlier run stored). A folder, or a
 * file that is not a secret file, is no place: it is a usage error (exit 2), before any change.
 */
export async function readPlace(place: SecretPlace): Promise<StoredSecret> {
  if (place.kind === 'stdout') return {};
  const refuse = (why: string) =>
    new UsageError(
      `${place.flag} ${place.shown}: ${why}, so the new secret has no place to be stored. Nothing was changed. Give --secret-out <file> (a new file, or one an earlier rotate wrote), or --secret-out - to pipe it.`,
    );
  let stat;
  try {
    stat = await fs.lstat(place.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse(`it cannot be read (${(e as NodeJS.ErrnoException).code})`);
    await checkFolder(path.dirname(place.path), refuse);
    return {};
  }
  if (stat.isDirectory()) throw refuse('it is a folder');
  if (!stat.isFile()) throw refuse('it is not a regular file');
  let text: string;
  try {
    text = await fs.readFile(place.path, 'utf8');
  } catch (e) {
    throw refuse(`it cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  const value = secretInFile(text);
  if (value === undefined) throw refuse('it exists and is not a secret file (neither a record file nor one secret on a line)');
  return { value, writtenAt: stat.mtimeMs, text };
}

/** The nearest existing folder above a new file must be a folder (the writer creates the rest, 0700). */
async function checkFolder(folder: string, refuse: (why: string) => UsageError): Promise<void> {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    try {
      const s = await fs.stat(dir);
      if (!s.isDirectory()) throw refuse(`${dir} is not a folder`);
      return;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (path.dirname(dir) === dir) return;
    }
  }
}

/**
 * Store the new secret. Not interrupted by a stop: the secret exists in Cognito already, and a stop must
 * leave it stored (the stop is honoured right after). A failure is the writer's WriteError (exit 1).
 */
export async function storeSecret(place: SecretPlace, value: string, resolved: ResolvedConfig, ctx: Context): Promise<void> {
  if (place.kind === 'stdout') {
    // The one place a secret is printed (§16 step 3): the raw stream, around the masking output layer.
    ctx.stdout.write(`${value}\n`);
    return;
  }
  const content = place.format === 'record' ? jsonVisible(toJsonFile(buildRecord(resolved, value))) : `${value}\n`;
  await writeFiles([{ path: place.path, content, mode: 0o600 }], { ...(ctx.fs ? { fs: ctx.fs } : {}), cwd: ctx.cwd }, { force: true });
}
