import { isScalar, parseDocument } from 'yaml';
import { MAX_CONFIG_BYTES } from './core/config-bytes.js';
import { nestingExceedsAt } from './core/config-nesting.js';
import type { Override } from './core/config-positions.js';
import { finding, type Finding } from './core/findings.js';
import { parseSecretRef, type SecretRef } from './core/secret-ref.js';
import { quickValidateConfigText } from './core/validate-quick.js';
import type { Context } from './context.js';
import {
  INPUTS,
  inputsFromFlagsAndEnv,
  SECRET_ENV,
  secretSourceFrom,
  type InputFlags,
  type InputKey,
  type SecretSource,
} from './inputs.js';
import type { LoadedConfig } from './io/config-loader.js';
import { configFileFrom, readConfigText, type ConfigText } from './io/config-read.js';
import { resolveSecret, type ResolvedSecret, type SecretFlags } from './secret.js';

/**
 * Step one of every command (STYLE: "the way data should flow"): every input — the config file, flags,
 * environment variables (from ctx.env), the secret reference — resolved once into one immutable object
 * that records where each value came from. Checks, live looks and the report read this and nothing else.
 */

/** Where a value came from, in the user's own words. */
export type Source =
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'default' };

export interface Sourced<T> {
  readonly value: T;
  readonly source: Source;
}

/** `--domain`, `CREATIO_SSO_DOMAIN`, `creatio-sso.yaml`, `the default`. */
export function sourceLabel(s: Source): string {
  switch (s.kind) {
    case 'flag':
      return s.flag;
    case 'env':
      return s.name;
    case 'file':
      return s.path;
    default:
      return 'the default';
  }
}

/** A flag or variable that replaced a different value the config file holds (§10 "No silent overrides"). */
export interface Overridden {
  /** Dotted path in the config file, e.g. `cognito.domain`. */
  readonly key: string;
  readonly file: string;
  readonly source: Source;
  /** Both values, for the notice; absent for the client secret, which is never shown. */
  readonly values?: { readonly given: string; readonly inFile: string };
}

export interface SecretSetting {
  readonly value?: string;
  readonly source: Source;
  /** How it was supplied (for messages), and the findings of reading it. */
  readonly resolved: ResolvedSecret;
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
  readonly secret: SecretSetting;
}

export type FileCommandOptions = InputFlags & SecretFlags & { readonly config?: string };

/** Values given by flag or environment variable (inputs.ts decides: flag first, empty variables unset), with their source. */
export function givenInputs(flags: InputFlags, env: NodeJS.ProcessEnv): Map<InputKey, Sourced<string>> {
  const found = new Map<InputKey, Sourced<string>>();
  for (const [key, { value, from }] of inputsFromFlagsAndEnv(flags, env)) {
    found.set(key, { value, source: from.startsWith('--') ? { kind: 'flag', flag: from } : { kind: 'env', name: from } });
  }
  return found;
}

/** Resolve everything `generate` and `doctor` need, once. Reads the file and (with --client-secret-stdin) stdin. */
export async function resolveFileSettings(opts: FileCommandOptions, ctx: Context): Promise<FileSettings> {
  const file = await configFileFrom(opts.config, ctx.cwd);
  const read = readConfigText(file, ctx.cwd);
  const inFile = 'text' in read ? fileValues(read.text) : () => undefined;
  const given = givenInputs(opts, ctx.env);

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
      if (fromFile !== undefined) overridden.push({ key, file, source: g.source, values: { given: g.value, inFile: fromFile } });
    } else if (fromFile !== undefined) {
      inputs.set(spec.key, { value: fromFile, source: { kind: 'file', path: file } });
    }
  }

  const configured = secretRefIn(inFile(['cognito', 'clientSecret']));
  const secretSource = secretSourceFrom(opts, ctx.env);
  const resolved = await resolveSecret(opts, configured, ctx);
  const source = secretProvenance(secretSource, configured, file);
  const sameReference = secretSource.kind === 'env' && configured?.kind === 'env' && configured.name === secretSource.name;
  if (configured && source.kind !== 'file' && !sameReference) overridden.push({ key: 'cognito.clientSecret', file, source });

  return Object.freeze({
    file,
    read,
    inputs,
    overrides,
    overridden,
    secret: { value: resolved.value, source, resolved },
  });
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
 * The file's own string values, looked up by path before anything is applied over them. A file that
 * does not parse has none: the checks report why.
 */
function fileValues(text: string): (path: readonly string[]) => string | undefined {
  if (text.length > MAX_CONFIG_BYTES || nestingExceedsAt(text, 64) !== undefined) return () => undefined;
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length) return () => undefined;
    return (path) => {
      const node = doc.getIn(path, true);
      return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
    };
  } catch {
    return () => undefined;
  }
}

/**
 * The checked config: the file with the overrides applied (the settings' own, or `overrides` when the
 * command adds some: plan's stand-in client ID), checked as `validate` checks a file. Without zod when
 * the result matches the schema (validate-quick.ts); zod loads only to word what does not.
 */
export async function checkFileSettings(s: FileSettings, overrides: readonly Override[] = s.overrides): Promise<LoadedConfig> {
  const { read } = s;
  if ('text' in read) {
    const quick = quickValidateConfigText(read.text, overrides);
    if (quick) return { file: read.file, ...quick };
  }
  const { checkConfigText } = await import('./io/config-loader.js');
  return checkConfigText(read, overrides);
}

/** §10: one notice line per replaced value (text), never a secret's value. */
export function overrideNotice(o: Overridden): string {
  const what = `${sourceLabel(o.source)}${o.values ? ` (${o.values.given})` : ''}`;
  return `Using ${what} instead of ${o.key} in ${o.file}${o.values ? ` (${o.values.inFile})` : ''}.`;
}

/** §10 in JSON: an info finding `input/overridden` naming the key and the source. */
export const overrideFinding = (o: Overridden): Finding => finding('input/overridden', o.key, overrideNotice(o));
