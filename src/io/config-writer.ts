import { promises as nodeFs } from 'node:fs';
import { Document, isMap, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import type { PlannedFile } from './files.js';

/**
 * Changes to a config file, by dotted key: `{ 'cognito.clientId': '1h57…' }`. `undefined` removes the
 * key. Values are what the schema holds: strings, numbers, booleans.
 */
export type ConfigUpdates = Readonly<Record<string, string | number | boolean | undefined>>;

const isJson = (file: string) => /\.json$/i.test(file);
const keyPath = (key: string) => key.split('.');
const BOM = '\uFEFF';

/**
 * `text` (a config file's content) with `updates` applied. YAML keeps its comments, order and layout,
 * and a changed value keeps the comment beside it; JSON is parsed and serialized again (two-space
 * indent, as init writes it). Text that does not parse, or a key whose parent is not a mapping, is a
 * ConfigError: the file is not touched then.
 */
export function updateConfigText(text: string, updates: ConfigUpdates, file: string): string {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  if (isJson(file)) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      throw new ConfigError(
        `Cannot update ${file}: it is not valid JSON (${(e as Error).message}). Fix it first (creatio-sso validate ${file}).`,
      );
    }
    for (const [key, value] of Object.entries(updates)) setJson(data, keyPath(key), value, file, key);
    return `${bom}${JSON.stringify(data, null, 2)}\n`;
  }
  const doc = parseDocument(body);
  if (doc.errors.length) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0].line;
    throw new ConfigError(
      `Cannot update ${file}: it is not valid YAML${line ? ` (line ${line})` : ''}. Fix it first (creatio-sso validate ${file}).`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw notAMapping(file, '');
  for (const [key, value] of Object.entries(updates)) {
    try {
      if (value === undefined) doc.deleteIn(keyPath(key));
      else doc.setIn(keyPath(key), value);
    } catch {
      throw notAMapping(file, key);
    }
  }
  return `${bom}${doc.toString()}`;
}

/** A new config file's text holding `updates` (JSON for a .json name, else YAML). */
export function newConfigText(updates: ConfigUpdates, file: string): string {
  if (isJson(file)) return updateConfigText('{}', updates, file);
  const doc = new Document({});
  for (const [key, value] of Object.entries(updates)) if (value !== undefined) doc.setIn(keyPath(key), value);
  return doc.toString();
}

/**
 * The config file as the writer takes it: an existing file updated (its mode kept, and marked as an
 * update, so the writer replaces it without --force but not when it changed meanwhile), or a new file
 * (0644). `file` is the path to write (absolute, or relative to the process's folder).
 */
export async function planConfigUpdate(
  file: string,
  updates: ConfigUpdates,
  fs: Pick<typeof nodeFs, 'readFile' | 'stat'> = nodeFs,
): Promise<PlannedFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return { path: file, content: newConfigText(updates, file), mode: 0o644 };
  }
  const { mode } = await fs.stat(file);
  return { path: file, content: updateConfigText(text, updates, file), mode: mode & 0o777, replaces: text };
}

const notAMapping = (file: string, key: string) =>
  new ConfigError(
    `Cannot update ${key || 'the top level'} in ${file}: a value on its way is not a mapping. Fix the file first (creatio-sso validate ${file}).`,
  );

function setJson(data: unknown, keys: string[], value: string | number | boolean | undefined, file: string, key: string): void {
  let at = data;
  for (const k of keys.slice(0, -1)) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) throw notAMapping(file, key);
    const o = at as Record<string, unknown>;
    if (o[k] === undefined && value !== undefined) o[k] = {};
    at = o[k];
    if (at === undefined) return;
  }
  if (typeof at !== 'object' || at === null || Array.isArray(at)) throw notAMapping(file, key);
  const last = keys.at(-1)!;
  if (value === undefined) delete (at as Record<string, unknown>)[last];
  else (at as Record<string, unknown>)[last] = value;
}
