import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { FileExistsError } from '../errors.js';

export interface PlannedFile {
  path: string;
  content: string;
  /** 0o600 for files that hold a secret. */
  mode: number;
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

const exists = (p: string) =>
  fs.lstat(p).then(
    () => true,
    (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)),
  );

/**
 * Write files atomically: each goes to a temporary file in the same folder (created with its final
 * mode, so a secret is never readable by others, even briefly), then takes its name in one step.
 * Without `force` nothing is written when any target exists, and the final step is a hard link,
 * which fails rather than replace a file that appeared meanwhile.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[], force: boolean): Promise<WrittenFile[]> {
  if (!force) {
    for (const f of files) if (await exists(f.path)) throw new FileExistsError(f.path);
  }
  const written: WrittenFile[] = [];
  for (const f of files) {
    await writeOne(f, force);
    written.push(describeFile(f));
  }
  return written;
}

async function writeOne(f: PlannedFile, force: boolean): Promise<void> {
  const dir = path.dirname(f.path);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(f.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, f.mode);
  try {
    await handle.writeFile(f.content, 'utf8');
    // The umask may have narrowed the mode; the file must have exactly the mode asked for.
    await handle.chmod(f.mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (force) {
      await fs.rename(tmp, f.path);
    } else {
      try {
        await fs.link(tmp, f.path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new FileExistsError(f.path);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
        // Filesystems without hard links: check once more, then rename.
        if (await exists(f.path)) throw new FileExistsError(f.path);
        await fs.rename(tmp, f.path);
      }
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
