import { randomBytes } from 'node:crypto';
import { constants, promises as nodeFs } from 'node:fs';
import path from 'node:path';
import { throwIfStopped } from '../cli/stop.js';
import { CancelledError, ExitError, FileExistsError, WriteError } from '../cli/errors.js';

export interface PlannedFile {
  path: string;
  content: string;
  /** 0o600 for files that hold a secret. */
  mode: number;
  /**
   * What the file holds now, when the plan updates an existing file (a config file, see
   * config-writer.ts): it is then replaced even without --force, and the write fails when the file
   * changed since it was read.
   */
  replaces?: string;
}

export interface WrittenFile {
  path: string;
  /** Octal string, e.g. "0600". */
  mode: string;
  bytes: number;
}

export const describeFile = (f: PlannedFile): WrittenFile => ({
  path: f.path,
  mode: `0${(f.mode & 0o777).toString(8)}`,
  bytes: Buffer.byteLength(f.content),
});

/** An open file, as far as the writer uses it. */
export interface WriterHandle {
  writeFile(data: string, encoding: 'utf8'): Promise<unknown>;
  chmod(mode: number): Promise<unknown>;
  sync(): Promise<unknown>;
  close(): Promise<unknown>;
}

/**
 * The file-system calls the writer makes: node:fs/promises in a run, a wrapper in tests that makes
 * one of them fail (ENOSPC cannot be produced for real without mounting a file system) or wait.
 */
export interface WriterFs {
  open(path: string, flags: number, mode?: number): Promise<WriterHandle>;
  lstat(path: string): Promise<{ isDirectory(): boolean }>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  mkdir(path: string, mode: number): Promise<unknown>;
  link(existingPath: string, newPath: string): Promise<unknown>;
  rename(oldPath: string, newPath: string): Promise<unknown>;
  unlink(path: string): Promise<unknown>;
  rmdir(path: string): Promise<unknown>;
}

export const nodeWriterFs: WriterFs = nodeFs;

/** What the writer takes from the context: the stop signal, the file system, the folder paths are shown relative to. */
export interface WriterIO {
  signal?: AbortSignal;
  fs?: WriterFs;
  cwd?: string;
}

/** A file-system call that failed, with what the writer was doing: the message is made from it. */
class FsFailure extends Error {
  constructor(
    readonly action: string,
    readonly target: string,
    readonly error: NodeJS.ErrnoException,
    readonly reason?: string,
  ) {
    super(`${action} ${target}: ${error.message}`);
  }
}

const isErrno = (e: unknown): e is NodeJS.ErrnoException => e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
const codeOf = (e: unknown): string | undefined => (isErrno(e) ? e.code : undefined);

/** Run one call; a system error becomes an FsFailure naming the action and the file it was for. */
async function attempt<T>(action: string, target: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isErrno(e) && !(e instanceof ExitError)) throw new FsFailure(action, target, e);
    throw e;
  }
}

/** `.record.json.1a2b3c4d5e6f.tmp` beside the target: same folder, so the final rename is atomic. */
const siblingName = (target: string, kind: 'tmp' | 'old') =>
  path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.${kind}`);

/** One file's way into place, as far as it got: what the rollback undoes. */
interface Placement {
  target: string;
  /** The previous file, hard-linked (or, without hard links, moved) aside before the replacement. */
  backup?: string;
  /** The previous file was moved to `backup` (no hard links here): the target is missing until the new one arrives. */
  moved?: boolean;
  /** The new file is in place (renamed or linked). */
  placed: boolean;
  /** The target did not exist before: the rollback removes it. */
  created: boolean;
}

/**
 * Write a set of files all or nothing (§10). Every file is rendered already; each goes to a temporary
 * file beside its target (created with its final mode and O_EXCL, written, fsynced), and only when all
 * are written do they take their names, one rename each. A file being replaced is hard-linked aside
 * first. On any failure, and when `io.signal` aborts (SIGINT, SIGTERM, SIGHUP) before the last file is
 * in place, the temporaries are removed, replaced files put back, new files and new folders removed,
 * and the error says what happened: nothing was written.
 *
 * Without `force`, nothing is written when any target exists (except files planned as updates, see
 * `PlannedFile.replaces`), and a new file takes its name by a hard link, which fails rather than
 * replace a file that appeared meanwhile. Folders are created 0700.
 */
export async function writeFiles(files: readonly PlannedFile[], io: WriterIO, options: { force: boolean }): Promise<WrittenFile[]> {
  const fs = io.fs ?? nodeWriterFs;
  const shown = (p: string) => {
    const relative = io.cwd ? path.relative(io.cwd, p) : p;
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
  };
  const createdDirs: string[] = [];
  const temporaries = new Map<PlannedFile, string>();
  const placements: Placement[] = [];
  const stop = () => throwIfStopped(io.signal);

  try {
    stop();
    await refuseExisting(files, fs, options.force, shown);
    stop();
    for (const dir of new Set(files.map((f) => path.dirname(f.path)))) {
      await makeDirectory(dir, fs, createdDirs, shown);
      stop();
    }
    for (const f of files) {
      await writeTemporary(f, fs, temporaries);
      stop();
    }
    for (const f of files) {
      await place(f, fs, temporaries, placements, options.force, shown);
      stop();
    }
  } catch (e) {
    const problems = await rollBack(fs, temporaries, placements, createdDirs, shown);
    throw explain(e, problems, shown);
  }

  // Every file is in place: only the backups and the temporaries behind hard links remain.
  const leftovers: string[] = [];
  for (const p of placements) if (p.backup) await fs.unlink(p.backup).catch(() => leftovers.push(p.backup!));
  for (const tmp of temporaries.values()) await fs.unlink(tmp).catch((e) => codeOf(e) !== 'ENOENT' && leftovers.push(tmp));
  await syncDirectories(files, fs);
  if (leftovers.length) {
    throw new WriteError(
      `The files were written, but ${leftovers.map(shown).join(', ')} could not be removed. Remove ${leftovers.length === 1 ? 'it' : 'them'} by hand: a temporary copy may hold the client secret.`,
    );
  }
  return files.map(describeFile);
}

/** The target's stats (not following a symlink), or undefined when there is none. */
async function existing(fs: WriterFs, p: string): Promise<{ isDirectory(): boolean } | undefined> {
  try {
    return await fs.lstat(p);
  } catch (e) {
    // ENOTDIR: a parent is a file; creating the folder says so.
    if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') return undefined;
    if (isErrno(e)) throw new FsFailure('check', p, e);
    throw e;
  }
}

async function refuseExisting(files: readonly PlannedFile[], fs: WriterFs, force: boolean, shown: (p: string) => string): Promise<void> {
  const present: string[] = [];
  for (const f of files) {
    if (f.replaces !== undefined) {
      const now = await attempt('read', f.path, () =>
        fs.readFile(f.path, 'utf8').catch((e: unknown) => (codeOf(e) === 'ENOENT' ? undefined : Promise.reject(e))),
      );
      if (now !== f.replaces) {
        throw new WriteError(`${shown(f.path)} changed while creatio-sso was running. Nothing was written: run again.`);
      }
    } else if (!force && (await existing(fs, f.path))) {
      present.push(shown(f.path));
    }
  }
  if (present.length) throw new FileExistsError(present);
}

/**
 * Create `dir` and its missing parents, 0700, one level at a time. Not `mkdir({ recursive: true })`:
 * where the kernel answers ENOENT for a folder whose parent exists (/proc, /sys), Node's recursive
 * mkdir creates the parent ("exists"), retries the child, gets ENOENT again, and loops forever at
 * full CPU (node 20).
 */
async function makeDirectory(dir: string, fs: WriterFs, created: string[], shown: (p: string) => string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    let stats: { isDirectory(): boolean } | undefined;
    try {
      stats = await fs.stat(at);
    } catch (e) {
      const code = codeOf(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        if (isErrno(e)) throw new FsFailure('create the folder', dir, e);
        throw e;
      }
    }
    if (stats) {
      if (stats.isDirectory()) break;
      const e = Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' });
      throw new FsFailure('create the folder', dir, e, `${shown(at)} is a file, not a folder`);
    }
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing) {
    try {
      await fs.mkdir(d, 0o700);
      created.push(d);
    } catch (e) {
      // Made meanwhile by someone else: fine when it is a folder, and not ours to remove.
      if (
        codeOf(e) === 'EEXIST' &&
        (await fs.stat(d).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        continue;
      if (!isErrno(e)) throw e;
      const reason = e.code === 'ENOENT' ? 'this file system does not allow creating it' : undefined;
      throw new FsFailure('create the folder', d, e, reason);
    }
  }
}

async function writeTemporary(f: PlannedFile, fs: WriterFs, temporaries: Map<PlannedFile, string>): Promise<void> {
  const tmp = siblingName(f.path, 'tmp');
  // Created with its final mode: a secret is never readable by others, not even for a moment.
  const handle = await attempt('write', f.path, () => fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, f.mode));
  temporaries.set(f, tmp);
  try {
    await attempt('write', f.path, async () => {
      await handle.writeFile(f.content, 'utf8');
      // The umask may have narrowed the mode; the file must have exactly the mode asked for.
      await handle.chmod(f.mode);
      await handle.sync();
    });
  } finally {
    await handle.close().catch(() => {});
  }
}

async function place(
  f: PlannedFile,
  fs: WriterFs,
  temporaries: Map<PlannedFile, string>,
  placements: Placement[],
  force: boolean,
  shown: (p: string) => string,
): Promise<void> {
  const tmp = temporaries.get(f)!;
  const replace = force || f.replaces !== undefined;
  const before = await existing(fs, f.path);
  if (before?.isDirectory()) {
    const e = Object.assign(new Error(`EISDIR: illegal operation on a directory, rename '${f.path}'`), { code: 'EISDIR' });
    throw new FsFailure('write', f.path, e);
  }
  if (!before) {
    const p: Placement = { target: f.path, placed: false, created: true };
    try {
      // A hard link fails rather than replace a file that appeared since the check.
      await fs.link(tmp, f.path);
      p.placed = true;
      placements.push(p);
      return;
    } catch (e) {
      const code = codeOf(e);
      if (code === 'EEXIST') {
        if (!replace) throw new FileExistsError(shown(f.path));
        // Appeared meanwhile, and --force: replace it like any other.
      } else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'EMLINK') {
        // A file system without hard links: check once more, then rename.
        if (await existing(fs, f.path)) {
          if (!replace) throw new FileExistsError(shown(f.path));
        } else {
          placements.push(p);
          await attempt('write', f.path, () => fs.rename(tmp, f.path));
          temporaries.delete(f);
          p.placed = true;
          return;
        }
      } else if (isErrno(e)) {
        throw new FsFailure('write', f.path, e);
      } else {
        throw e;
      }
    }
  }
  if (!replace) throw new FileExistsError(shown(f.path));

  const p: Placement = { target: f.path, backup: siblingName(f.path, 'old'), placed: false, created: false };
  try {
    await fs.link(f.path, p.backup!);
  } catch (e) {
    const code = codeOf(e);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK') {
      if (isErrno(e)) throw new FsFailure('replace', f.path, e);
      throw e;
    }
    // No hard links: move the old file aside instead (its name is empty for a moment).
    await attempt('replace', f.path, () => fs.rename(f.path, p.backup!));
    p.moved = true;
  }
  placements.push(p);
  await attempt('replace', f.path, () => fs.rename(tmp, f.path));
  temporaries.delete(f);
  p.placed = true;
}

/** Undo everything, newest first; returns what could not be undone, for the message. */
async function rollBack(
  fs: WriterFs,
  temporaries: Map<PlannedFile, string>,
  placements: Placement[],
  createdDirs: string[],
  shown: (p: string) => string,
): Promise<string[]> {
  const problems: string[] = [];
  const why = (e: unknown) => (isErrno(e) ? `${e.code}` : String(e));
  for (const p of [...placements].reverse()) {
    try {
      if (p.backup && (p.placed || p.moved)) await fs.rename(p.backup, p.target);
      // Not placed and only linked: target and backup are the same file (a rename between two links to one file does nothing).
      else if (p.backup) await fs.unlink(p.backup);
      else if (p.created && p.placed) await fs.unlink(p.target);
    } catch (e) {
      problems.push(
        p.backup
          ? `could not put back the previous ${shown(p.target)} (${why(e)}): it is in ${shown(p.backup)}`
          : `could not remove the new ${shown(p.target)} (${why(e)})`,
      );
    }
  }
  for (const tmp of temporaries.values()) {
    await fs.unlink(tmp).catch((e: unknown) => {
      if (codeOf(e) !== 'ENOENT')
        problems.push(`could not remove the temporary file ${shown(tmp)} (${why(e)}): remove it by hand, it may hold the client secret`);
    });
  }
  // Only folders this run created, deepest first; one that is not empty now is someone else's too.
  for (const dir of [...createdDirs].reverse()) await fs.rmdir(dir).catch(() => {});
  return problems;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'a folder has that name',
  ENAMETOOLONG: 'the name is too long',
  ENOENT: 'the folder does not exist',
  EMFILE: 'too many open files',
  EIO: 'an input/output error',
};

const HINTS: Record<string, string> = {
  EACCES: "choose another --out-dir (or --config), or fix the folder's permissions.",
  EPERM: "choose another --out-dir (or --config), or fix the folder's permissions.",
  ENOSPC: 'free some space, or choose another --out-dir.',
  EDQUOT: 'free some space, or choose another --out-dir.',
  EROFS: 'choose a writable --out-dir (or --config).',
  ENOTDIR: 'choose another --out-dir (or --config), or move that file away.',
  EISDIR: 'move the folder away, or choose another --out-dir (or --config).',
};

/** The error the caller sees: the cancellation, a refusal, or a write failure in words, plus whatever the rollback could not undo. */
function explain(e: unknown, problems: string[], shown: (p: string) => string): unknown {
  const undone = problems.length ? ` But ${problems.join('; ')}.` : '';
  if (e instanceof FsFailure) {
    const code = e.error.code ?? 'unknown';
    const reason = e.reason ?? REASONS[code] ?? e.error.message;
    const hint = HINTS[code] ?? 'choose another --out-dir (or --config).';
    const what = `Could not ${e.action} ${shown(e.target)}: ${reason} (${code})`;
    return new WriteError(`${what}. Nothing was written: ${hint}${undone}`, `${what}${undone ? `;${undone.replace(/\.$/, '')}` : ''}`);
  }
  if (!undone) return e;
  if (e instanceof CancelledError) return new CancelledError(`${e.message}${undone}`, e.signal);
  if (e instanceof ExitError) return new WriteError(`${e.message}${undone}`);
  return e;
}

/** Make the new names durable: fsync each folder (best effort: not every file system allows it). */
async function syncDirectories(files: readonly PlannedFile[], fs: WriterFs): Promise<void> {
  for (const dir of new Set(files.map((f) => path.dirname(f.path)))) {
    const handle = await fs.open(dir, constants.O_RDONLY | constants.O_DIRECTORY).catch(() => undefined);
    if (!handle) continue;
    await handle.sync().catch(() => {});
    await handle.close().catch(() => {});
  }
}
