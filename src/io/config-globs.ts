import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors.js';
import { quote } from '../core/text.js';

/**
 * Config files named on the command line, globs expanded here (§17: `envs/*.yaml`), not by a shell: CI
 * runs them quoted, and Windows shells expand nothing. `*`, `?`, `[…]` within a path segment and `**` for
 * any depth; names starting with `.` only when the pattern spells the dot. A pattern that matches nothing
 * stays as it is, so the read names it as missing. The result keeps the order given, each file once,
 * the matches of one pattern sorted.
 */
export async function expandConfigs(patterns: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const pattern of patterns) {
    // A file that exists under the name as given is that file, even with `[` or `*` in its name (a shell expanded it).
    const literal = !hasMagic(pattern) || existsSync(path.resolve(cwd, pattern));
    const matches = literal ? [pattern] : await matchGlob(pattern, cwd);
    out.push(...(matches.length ? matches : [pattern]));
  }
  return [...new Set(out)];
}

const hasMagic = (p: string) => /[*?[]/.test(p);

async function matchGlob(pattern: string, cwd: string): Promise<string[]> {
  const normalised = pattern.replace(/\\/g, '/');
  const absolute = path.isAbsolute(normalised);
  const segments = normalised.split('/').filter((s, i) => s !== '' || i === 0);
  // The literal start of the pattern is the folder to walk from.
  let base = absolute ? '/' : '';
  let i = absolute ? 1 : 0;
  while (i < segments.length - 1 && !hasMagic(segments[i]!)) base += `${segments[i++]}/`;
  // A class JavaScript refuses (`[z-a]`): the user's pattern is wrong, said before any folder is read.
  if (segments.some((s) => hasMagic(s) && s !== '**' && !segmentRegExp(s)))
    throw new UsageError(`The pattern ${quote(pattern, 200)} has a character class that matches nothing (a range like [z-a]): correct it.`);
  const found: string[] = [];
  await walk(path.resolve(cwd, base || '.'), base, segments.slice(i), found);
  return found.sort();
}

async function walk(dir: string, shown: string, rest: readonly string[], found: string[]): Promise<void> {
  if (!rest.length) return;
  const [segment, ...more] = rest as [string, ...string[]];
  let entries;
  try {
    // Synchronous: node:fs is loaded already, node:fs/promises would load ~25 more modules for a plain validate.
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (segment === '**') {
    await walk(dir, shown, more, found);
    for (const e of entries)
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(path.join(dir, e.name), `${shown}${e.name}/`, rest, found);
    return;
  }
  if (!hasMagic(segment)) {
    const e = entries.find((x) => x.name === segment);
    if (e) await visit(e, dir, shown, more, found);
    return;
  }
  const re = segmentRegExp(segment)!;
  for (const e of entries)
    if (re.test(e.name) && (segment.startsWith('.') || !e.name.startsWith('.'))) await visit(e, dir, shown, more, found);
}

async function visit(
  e: { name: string; isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean },
  dir: string,
  shown: string,
  more: readonly string[],
  found: string[],
) {
  if (more.length === 0) {
    if (e.isFile() || e.isSymbolicLink()) found.push(`${shown}${e.name}`);
  } else if (e.isDirectory() || e.isSymbolicLink()) await walk(path.join(dir, e.name), `${shown}${e.name}/`, more, found);
}

/** One path segment's pattern as a regular expression: `*` any run, `?` one character, `[…]` a class. */
function segmentRegExp(segment: string): RegExp | undefined {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/[\\\]]/g, '\\$&');
        re += `[${body}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}
