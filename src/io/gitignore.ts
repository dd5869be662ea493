import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Keep the artifacts folder (it holds the record file with the client secret) out of git: `init` adds
 * it to the `.gitignore` of the git work tree it writes into, or says which line to add when it cannot.
 */
export type GitignoreOutcome =
  /** The line was appended to `file` (or `file` was created with it). */
  | { kind: 'added'; file: string; line: string }
  /** `file` already ignores the folder. */
  | { kind: 'present'; file: string; line: string }
  /** The folder is not inside the work tree: git does not see it. */
  | { kind: 'outside' }
  /** No git work tree here: the line to add by hand. */
  | { kind: 'not-a-repo'; line: string }
  /** The work tree's `.gitignore` could not be read or written: the line to add by hand. */
  | { kind: 'failed'; file: string; line: string; why: string };

const exists = async (p: string): Promise<boolean> =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );

/** The root of the git work tree that holds `dir` (a `.git` folder or file), or undefined. */
export async function gitWorkTreeOf(dir: string): Promise<string | undefined> {
  let at = path.resolve(dir);
  for (;;) {
    if (await exists(path.join(at, '.git'))) return at;
    const up = path.dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

const posix = (p: string) => p.split(path.sep).join('/');

/** Whether a `.gitignore` line already ignores the folder `rel` (relative to the work tree's root). */
function ignores(text: string, rel: string): boolean {
  const wanted = new Set([`/${rel}/`, `/${rel}`, `${rel}/`, rel, `/${rel}/**`, `${rel}/**`]);
  return text.split(/\r?\n/).some((l) => wanted.has(l.trim()));
}

export async function keepOutOfGit(outDir: string, cwd: string): Promise<GitignoreOutcome> {
  const dir = path.resolve(cwd, outDir);
  const root = await gitWorkTreeOf(cwd);
  if (root === undefined) {
    const rel = posix(path.relative(cwd, dir)) || '.';
    return { kind: 'not-a-repo', line: `${rel}/` };
  }
  const rel = posix(path.relative(root, dir));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { kind: 'outside' };
  const file = path.join(root, '.gitignore');
  const line = `/${rel}/`;
  try {
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (ignores(text, rel)) return { kind: 'present', file, line };
    const before = text === '' || text.endsWith('\n') ? '' : '\n';
    await fs.appendFile(file, `${before}# creatio-sso: the record file in this folder holds the app client secret\n${line}\n`);
    return { kind: 'added', file, line };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { kind: 'failed', file, line, why: err.code ?? err.message };
  }
}
