import { promises as nodeFs } from 'node:fs';
import { Document, isCollection, isMap, isScalar, parseDocument } from 'yaml';
import { ConfigError } from '../cli/errors.js';
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
 * `text` (a config file's content) with `updates` applied. In YAML a changed value is replaced in the
 * text, so comments and layout stay exactly as they were; a key added or removed re-prints the file
 * through yaml's Document, which keeps the comments and the order (not the column of a trailing
 * comment). JSON is parsed and serialized again (two-space
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
  // A value that is already there is changed in the text itself, so the rest of the file stays byte for
  // byte as it was (alignment of comments included); only adding or removing keys re-prints the file.
  let edited = body;
  const structural: [string, string | number | boolean | undefined][] = [];
  const edits: { from: number; to: number; text: string }[] = [];
  const doc = parseYaml(body, file);
  for (const [key, value] of Object.entries(updates)) {
    const node = value === undefined ? undefined : doc.getIn(keyPath(key), true);
    if (isScalar(node) && node.range && !isCollection(node.value)) {
      edits.push({ from: node.range[0], to: node.range[1], text: new Document(value).toString({ lineWidth: 0 }).trimEnd() });
    } else {
      structural.push([key, value]);
    }
  }
  for (const e of edits.sort((x, y) => y.from - x.from)) edited = edited.slice(0, e.from) + e.text + edited.slice(e.to);
  if (!structural.length) return `${bom}${edited}`;
  const again = parseYaml(edited, file);
  for (const [key, value] of structural) {
    try {
      if (value === undefined) again.deleteIn(keyPath(key));
      else again.setIn(keyPath(key), value);
    } catch {
      throw notAMapping(file, key);
    }
  }
  return `${bom}${again.toString()}`;
}

function parseYaml(text: string, file: string) {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const line = doc.errors[0]!.linePos?.[0].line;
    throw new ConfigError(
      `Cannot update ${file}: it is not valid YAML${line ? ` (line ${line})` : ''}. Fix it first (creatio-sso validate ${file}).`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw notAMapping(file, '');
  return doc;
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
