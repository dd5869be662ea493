import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, ExitCode, FileExistsError, stoppedBy, WriteError } from '../../src/cli/errors.js';
import { nodeWriterFs, writeFiles, type PlannedFile, type WriterFs } from '../../src/io/files.js';
import { tempDir, TEST_SECRET } from '../support/cli.js';

/**
 * The all-or-nothing writer (§6, §10 "Writes are all or nothing"), on a real temporary folder. Failures
 * the machine cannot produce on demand (a full disk, a read-only file system) are simulated by
 * wrapping one call of node:fs/promises: the writer's seam (WriterFs).
 */
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** Every entry under `dir`, temporaries (dot files) included. */
const entries = () => readdirSync(dir, { recursive: true }).map(String).sort();
const read = (p: string) => readFileSync(path.join(dir, p), 'utf8');
const mode = (p: string) => statSync(path.join(dir, p)).mode & 0o777;

const planned = (outDir = 'out'): PlannedFile[] => [
  { path: path.join(dir, 'creatio-sso.yaml'), content: 'version: 1\n', mode: 0o644 },
  { path: path.join(dir, outDir, 'creatio-sso-record.json'), content: `{"ClientSecret":"${TEST_SECRET}"}\n`, mode: 0o600 },
  { path: path.join(dir, outDir, 'SETUP.md'), content: '# Set-up\n', mode: 0o644 },
];

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** node:fs/promises with one call replaced: `when` decides, per call, whether it fails (or what it does first). */
function failing(call: 'rename' | 'link' | 'mkdir', when: (n: number, args: string[]) => Error | undefined): WriterFs {
  let n = 0;
  const original = nodeWriterFs[call] as (...a: unknown[]) => Promise<unknown>;
  return {
    ...nodeWriterFs,
    [call]: async (...args: string[]) => {
      const e = when(++n, args);
      if (e) throw e;
      return original(...args);
    },
  };
}

/** node:fs/promises whose handle.writeFile fails for the n-th file opened. */
function failingWrite(nth: number, code: string): WriterFs {
  let opened = 0;
  return {
    ...nodeWriterFs,
    open: async (p, flags, m) => {
      const handle = await nodeWriterFs.open(p, flags, m);
      if (++opened !== nth) return handle;
      return {
        writeFile: async () => {
          throw errno(code);
        },
        chmod: (x) => handle.chmod(x),
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
}

describe('writeFiles', () => {
  it('writes every file with its mode, creates the out-dir 0700, and leaves no temporary', async () => {
    const written = await writeFiles(planned('a/b'), { cwd: dir }, { force: false });
    expect(written.map((f) => [path.relative(dir, f.path), f.mode])).toEqual([
      ['creatio-sso.yaml', '0644'],
      ['a/b/creatio-sso-record.json', '0600'],
      ['a/b/SETUP.md', '0644'],
    ]);
    expect(entries()).toEqual(['a', 'a/b', 'a/b/SETUP.md', 'a/b/creatio-sso-record.json', 'creatio-sso.yaml']);
    expect(mode('a')).toBe(0o700);
    expect(mode('a/b')).toBe(0o700);
    expect(mode('a/b/creatio-sso-record.json')).toBe(0o600);
    expect(read('a/b/creatio-sso-record.json')).toContain(TEST_SECRET);
  });

  it('without --force writes nothing when any target exists, naming every one, and creates no folder', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'keep\n');
    const e = await writeFiles(planned(), { cwd: dir }, { force: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FileExistsError);
    expect((e as Error).message).toBe(
      'creatio-sso.yaml already exists. Nothing was written. Use --force to overwrite, or --out-dir for another folder.',
    );
    expect(entries()).toEqual(['creatio-sso.yaml']);
    expect(read('creatio-sso.yaml')).toBe('keep\n');
  });

  it('a file that appears between the check and the rename is not replaced: the hard link refuses, the rest is rolled back', async () => {
    // The other process wins the race just before the second file takes its name.
    const fs = failing('link', (n, [, to]) => {
      if (n === 2) writeFileSync(to!, 'theirs\n');
      return undefined;
    });
    await expect(writeFiles(planned(), { cwd: dir, fs }, { force: false })).rejects.toBeInstanceOf(FileExistsError);
    expect(entries()).toEqual(['out', 'out/creatio-sso-record.json']);
    expect(read('out/creatio-sso-record.json')).toBe('theirs\n');
  });

  // A full disk cannot be had on demand without mounting a tiny file system (root only, and fragile in
  // CI): the write of the second temporary fails with ENOSPC through the seam instead.
  it('ENOSPC (simulated) while writing: nothing written, no temporary left, the new folder removed, a clear message', async () => {
    const e = await writeFiles(planned('new/out'), { cwd: dir, fs: failingWrite(2, 'ENOSPC') }, { force: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WriteError);
    expect((e as WriteError).exitCode).toBe(ExitCode.failed);
    expect((e as Error).message).toBe(
      'Could not write new/out/creatio-sso-record.json: no space left on the device (ENOSPC). Nothing was written: free some space, or choose another --out-dir.',
    );
    expect(entries()).toEqual([]);
  });

  // A read-only file system needs a mount too: simulated the same way, at the first rename.
  it('EROFS (simulated) when the new files take their names with --force: the replaced files are restored', async () => {
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'old config\n');
    writeFileSync(path.join(dir, 'out/SETUP.md'), 'old setup\n', { mode: 0o640 });
    // The config takes its name (rename 1), the record is new (a link), SETUP.md fails (rename 2).
    const fs = failing('rename', (n) => (n === 2 ? errno('EROFS') : undefined));
    const e = await writeFiles(planned(), { cwd: dir, fs }, { force: true }).catch((x: unknown) => x);
    expect((e as Error).message).toBe(
      'Could not replace out/SETUP.md: the file system is read-only (EROFS). Nothing was written: choose a writable --out-dir (or --config).',
    );
    expect(entries()).toEqual(['creatio-sso.yaml', 'out', 'out/SETUP.md']);
    expect(read('creatio-sso.yaml')).toBe('old config\n');
    expect(read('out/SETUP.md')).toBe('old setup\n');
    expect(mode('out/SETUP.md')).toBe(0o640);
  });

  it('with --force replaces files and leaves no backup behind', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'old\n');
    await writeFiles(planned(), { cwd: dir }, { force: true });
    expect(read('creatio-sso.yaml')).toBe('version: 1\n');
    expect(entries()).toEqual(['creatio-sso.yaml', 'out', 'out/SETUP.md', 'out/creatio-sso-record.json']);
  });

  it('a signal before the last file is in place rolls everything back and rejects with its reason (SIGTERM: 143)', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'old\n');
    const stop = new AbortController();
    // SIGTERM arrives while the second file takes its name.
    const fs = failing('link', (n) => {
      if (n === 2) stop.abort(stoppedBy('SIGTERM'));
      return undefined;
    });
    const e = await writeFiles(planned(), { cwd: dir, fs, signal: stop.signal }, { force: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CancelledError);
    expect((e as CancelledError).exitCode).toBe(143);
    expect((e as Error).message).toBe('Stopped by SIGTERM: nothing was written.');
    expect(entries()).toEqual(['creatio-sso.yaml']);
    expect(read('creatio-sso.yaml')).toBe('old\n');
  });

  it('a signal that came before writing started writes nothing at all', async () => {
    const stop = new AbortController();
    stop.abort(stoppedBy('SIGHUP'));
    await expect(writeFiles(planned(), { cwd: dir, signal: stop.signal }, { force: false })).rejects.toMatchObject({ exitCode: 129 });
    expect(entries()).toEqual([]);
  });

  it('an out-dir that cannot be created fails at once with the folder named (under /proc Node would loop forever)', async () => {
    const files = [{ path: '/proc/creatio-sso-test/out/SETUP.md', content: 'x', mode: 0o644 }];
    await expect(writeFiles(files, { cwd: dir }, { force: false })).rejects.toThrow(
      'Could not create the folder /proc/creatio-sso-test: this file system does not allow creating it (ENOENT). Nothing was written',
    );
  });

  it('a file where a folder is expected (ENOTDIR) is named', async () => {
    writeFileSync(path.join(dir, 'out'), 'a file\n');
    await expect(writeFiles(planned('out/sub'), { cwd: dir }, { force: false })).rejects.toThrow(
      'Could not create the folder out/sub: out is a file, not a folder (ENOTDIR). Nothing was written: choose another --out-dir (or --config), or move that file away.',
    );
    expect(entries()).toEqual(['out']);
  });

  it('a folder where a file is expected is never replaced, not even with --force', async () => {
    mkdirSync(path.join(dir, 'out/SETUP.md'), { recursive: true });
    await expect(writeFiles(planned(), { cwd: dir }, { force: true })).rejects.toThrow(
      'Could not write out/SETUP.md: a folder has that name (EISDIR).',
    );
    expect(entries()).toEqual(['out', 'out/SETUP.md']);
  });

  // Root ignores permission bits, so a read-only folder is no test here; /sys refuses new files even to root.
  it.runIf(existsSync('/sys/kernel'))('EACCES (real: /sys refuses new files) is a message, not a crash', async () => {
    const files = [{ path: '/sys/kernel/creatio-sso-record.json', content: 'x', mode: 0o600 }];
    await expect(writeFiles(files, { cwd: dir }, { force: false })).rejects.toThrow(
      "Could not write /sys/kernel/creatio-sso-record.json: permission denied (EACCES). Nothing was written: choose another --out-dir (or --config), or fix the folder's permissions.",
    );
  });

  it('a planned update replaces its file without --force, but not when the file changed since it was read', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'version: 1 # mine\n');
    const update = {
      path: path.join(dir, 'creatio-sso.yaml'),
      content: 'version: 1 # mine\nx: 1\n',
      mode: 0o644,
      replaces: 'version: 1 # mine\n',
    };
    await writeFiles([update], { cwd: dir }, { force: false });
    expect(read('creatio-sso.yaml')).toBe('version: 1 # mine\nx: 1\n');
    await expect(writeFiles([update], { cwd: dir }, { force: false })).rejects.toThrow(
      'creatio-sso.yaml changed while creatio-sso was running. Nothing was written: run again.',
    );
    expect(read('creatio-sso.yaml')).toBe('version: 1 # mine\nx: 1\n');
  });
});
