import { isAlias, isMap, isScalar, parseDocument, type Document } from 'yaml';
import { MAX_CONFIG_BYTES } from '../core/config/bytes.js';
import { nestingExceedsAt } from '../core/config/nesting.js';
import type { Override } from '../core/config/positions.js';
import { finding, type Finding } from '../core/findings.js';
import { parseSecretRef, type SecretRef } from '../core/config/secret-ref.js';
import { quote, shown, type Shown } from '../core/text.js';
import type { Context } from '../cli/context.js';
import {
  INPUTS,
  givenInputs,
  sourceLabel,
  type Source,
  type Sourced,
  SECRET_ENV,
  secretSourceFrom,
  type InputFlags,
  type InputKey,
  type SecretSource,
} from './inputs.js';
import { configFileFrom, readConfigText, type ConfigText } from '../io/config-read.js';
import { awsSettingsOf, type AwsFlags, type AwsSettings } from './aws.js';
import { resolveSecret, type Secret, type SecretFlags } from './secret.js';

/**
 * Step one of every command (STYLE: "the way data should flow"): every input — the config file, flags,
 * environment variables (from ctx.env), the secret reference — resolved once into one immutable object
 * that records where each value came from. Checks, live looks and the report read this and nothing else.
 */

/** A flag or variable that replaced a different value the config file holds (§10 "No silent overrides"). */
export interface Overridden {
  /** Dotted path in the config file, e.g. `cognito.domain`. */
  readonly key: string;
  readonly file: string;
  readonly source: Source;
  /** Both values, for the notice; absent for the client secret, which is never shown. */
  readonly values?: { readonly given: string; readonly inFile: string };
}

/**
 * What §10 counts as named outside the file, for the trust rules: the flag or variable that pinned the pool
 * and the one that named the domain — also when it names the same value as the file, which is no override
 * but still vouches for it. Only the keys that were named are present.
 */
export function trustPins(settings: Pick<FileSettings, 'pinned'>): { poolPinnedBy?: string; domainNamedBy?: string } {
  const by = (key: InputKey) => {
    const given = settings.pinned.get(key);
    return given ? sourceLabel(given.source) : undefined;
  };
  const pool = by('userPoolId');
  const domain = by('domain');
  return { ...(pool ? { poolPinnedBy: pool } : {}), ...(domain ? { domainNamedBy: domain } : {}) };
}

/** What `generate` and `doctor` run on: a config file with flags and variables over it. */
export interface FileSettings {
  readonly file: string;
  readonly read: ConfigText;
  /** Every input that has a value, with its source: flag > variable > file. */
  readonly inputs: ReadonlyMap<InputKey, Sourced<string>>;
  /** The flag and variable values applied over the file (an equal value is not one). */
  readonly overrides: readonly Override[];
  /** The overrides that replaced a value the file holds: each gets a notice. */
  readonly overridden: readonly Overridden[];
  /**
   * The inputs a flag or variable named, equal to the file's value or not: what §10 calls "named outside
   * the file" (a pinned pool, a named domain). The value in use is then this one.
   */
  readonly pinned: ReadonlyMap<InputKey, Sourced<string>>;
  readonly secret: Secret;
  /** Whether and how the AWS API is used (--aws, --aws-profile, the environment's credentials). */
  readonly aws: AwsSettings;
}

export type FileCommandOptions = InputFlags & SecretFlags & AwsFlags & { readonly config?: string };

/** Resolve everything `generate` and `doctor` need, once. Reads the file and (with --client-secret-stdin) stdin. */
export async function resolveFileSettings(opts: FileCommandOptions, ctx: Context): Promise<FileSettings> {
  const file = await configFileFrom(opts.config, ctx.cwd);
  const read = readConfigText(file, ctx.cwd);
  const { inFile, heldInFile } = fileValuesOf(read);
  const given = pinnedByEntry(givenInputs(opts, ctx.env), ctx.pinnedBy);

  const inputs = new Map<InputKey, Sourced<string>>();
  const overrides: Override[] = [];
  const overridden: Overridden[] = [];
  for (const spec of INPUTS) {
    const key = spec.path.join('.');
    const fromFile = inFile(spec.path);
    const g = given.get(spec.key);
    if (g && !sameInput(spec.key, g.value, fromFile)) {
      inputs.set(spec.key, g);
      overrides.push({ path: spec.path, value: g.value, from: sourceLabel(g.source) });
      // Also a value the schema would refuse (`domain: true`, a list): the file holds it, the flag replaces it (§10).
      const held = fromFile ?? heldInFile(spec.path);
      if (held !== undefined) overridden.push({ key, file, source: g.source, values: { given: g.value, inFile: held } });
    } else if (fromFile !== undefined) {
      inputs.set(spec.key, { value: fromFile, source: { kind: 'file', path: file } });
    }
  }

  const configured = secretRefIn(inFile(['cognito', 'clientSecret']));
  const secretSource = secretSourceFrom(opts, ctx.env);
  const resolved = await resolveSecret(secretSource, configured, ctx);
  const provenance = secretProvenance(secretSource, configured, file);
  const source: Source = ctx.pinnedBy && provenance.kind === 'env' ? { kind: 'env', name: `${ctx.pinnedBy}.clientSecretEnv` } : provenance;
  // The file names the variable the secret came from (directly, or as the config's CREATIO_SSO_PINS entry names it): no override.
  const sameReference =
    secretSource.kind === 'env' &&
    configured?.kind === 'env' &&
    (configured.name === secretSource.name || (ctx.pinnedSecretEnv !== undefined && configured.name === ctx.pinnedSecretEnv));
  if (configured && source.kind !== 'file' && !sameReference) overridden.push({ key: 'cognito.clientSecret', file, source });

  return Object.freeze({
    file,
    read,
    inputs,
    overrides,
    overridden,
    pinned: given,
    secret: {
      ...(resolved.value !== undefined ? { value: resolved.value } : {}),
      source,
      supplied: secretSource,
      findings: resolved.findings,
    },
    aws: awsSettingsOf(opts, ctx.env),
  });
}

/** Many configs (§17): a value the environment holds for this config came from its CREATIO_SSO_PINS entry. */
function pinnedByEntry(given: Map<InputKey, Sourced<string>>, entry: string | undefined): Map<InputKey, Sourced<string>> {
  if (entry === undefined) return given;
  for (const [key, g] of given) if (g.source.kind === 'env') given.set(key, { ...g, source: { kind: 'env', name: `${entry}.${key}` } });
  return given;
}

/**
 * A flag or variable equal to the file's value is no override (§10: no notice). Site URLs count as equal
 * without a trailing slash (`https://acme.creatio.com/` and `https://acme.creatio.com`); anything the URL
 * check would change (a missing scheme, a page path) stays an override, so its warning names the flag.
 */
function sameInput(key: InputKey, given: string, fromFile: string | undefined): boolean {
  if (fromFile === undefined) return false;
  if (given.trim() === fromFile.trim()) return true;
  const bare = (url: string) => url.trim().replace(/\/+$/, '');
  return key === 'creatioUrl' && bare(given) === bare(fromFile);
}

function secretProvenance(s: SecretSource, configured: SecretRef | undefined, file: string): Source {
  if (s.kind === 'stdin') return { kind: 'flag', flag: '--client-secret-stdin' };
  if (s.kind === 'env') return s.from === SECRET_ENV ? { kind: 'env', name: SECRET_ENV } : { kind: 'flag', flag: s.from };
  return configured ? { kind: 'file', path: file } : { kind: 'default' };
}

const secretRefIn = (raw: string | undefined): SecretRef | undefined => (raw === undefined ? undefined : parseSecretRef(raw));

/**
 * The file's own string values, looked up by path before anything is applied over them, as the schema
 * reads them: anchors and aliases resolved (`url: *site` is the anchored value, so an override of it gets
 * its notice, §10), and YAML 1.1 merge keys too (`%YAML 1.1` then `cognito: {<<: {domain: …}}`: the schema
 * reads the merged value, so a notice must name it). A file that does not parse has none: the checks report why.
 */
export interface FileValues {
  /** The text value at a path, as the schema reads it; undefined when there is none or it is not text. */
  inFile: (path: readonly string[]) => string | undefined;
  /** Any value at a path that is not text (true, a list, a date), shown as written, for the override notice. */
  heldInFile: (path: readonly string[]) => string | undefined;
}

const NO_VALUES: FileValues = { inFile: () => undefined, heldInFile: () => undefined };

/** The values of a config file as read (none when it could not be read): what the settings and the many-config run look up. */
export const fileValuesOf = (read: ConfigText): FileValues => ('text' in read ? fileValues(read.text) : NO_VALUES);

function fileValues(text: string): FileValues {
  if (text.length > MAX_CONFIG_BYTES || nestingExceedsAt(text, 64) !== undefined) return NO_VALUES;
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length) return NO_VALUES;
    // The value as the schema reads it (config-parse.ts: toJS, merges and aliases resolved, same alias limit).
    const js: unknown = doc.toJS({ maxAliasCount: 50 });
    const at = (path: readonly string[]): unknown => {
      let value: unknown = js;
      for (const key of path) {
        if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      return value;
    };
    const written = (path: readonly string[]): string | undefined => {
      const node = nodeAt(doc, path);
      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
    };
    return {
      inFile: (path) => {
        const value = at(path);
        if (typeof value === 'string') return value;
        if (typeof value !== 'number') return undefined;
        // A plain scalar YAML reads as a number (`clientId: 123e45`) is the text as written, as the schema sees it.
        return written(path) ?? String(value);
      },
      heldInFile: (path) => {
        const value = at(path);
        if (value === undefined || value === null) return undefined;
        if (isScalar(nodeAt(doc, path))) return written(path) ?? String(value);
        return JSON.stringify(value) ?? String(value);
      },
    };
  } catch {
    return NO_VALUES;
  }
}

/** The node at `path`, following aliases at every step (a whole section may be an alias too). */
function nodeAt(doc: Document, path: readonly string[]): unknown {
  const resolve = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  let node = resolve(doc.contents);
  for (const key of path) {
    if (!isMap(node)) return undefined;
    node = resolve(node.get(key, true));
  }
  return node;
}

/**
 * §10: one notice line per replaced value (text), never a secret's value. Both values come from outside
 * (the file, the environment): each is quoted and escaped, so a value holding a line break
 * (`"https://acme.creatio.com\n::error title=forged::…"`) stays inside its quotes on this one line.
 */
export function overrideNotice(o: Overridden): Shown {
  const what = shown`${sourceLabel(o.source)}${o.values ? shown` (${quote(o.values.given, 200)})` : ''}`;
  return shown`Using ${what} instead of ${o.key} in ${o.file}${o.values ? shown` (${quote(o.values.inFile, 200)})` : ''}.`;
}

/** §10 in JSON: an info finding `input/overridden` naming the key and the source. */
export const overrideFinding = (o: Overridden): Finding => finding('input/overridden', o.key, overrideNotice(o));
