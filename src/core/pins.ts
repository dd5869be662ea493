/**
 * `CREATIO_SSO_PINS` (§17): with many configs, what §10 needs from outside the files — the pool, the site,
 * the domain, the client, and the names of the variables holding each config's credentials — comes from
 * one JSON list, one entry per environment. Pure: the text in, the entries or the first problem out. A
 * problem names the entry (its index) and the field, never a value: the variable may hold anything.
 */

import { looksLikeSecretNotName } from './trust.js';

export interface CreatioCredentialsPin {
  /** Forms sign-in: the variables holding the user name and the password. */
  readonly usernameEnv?: string;
  readonly passwordEnv?: string;
  /** OAuth client credentials: the variables holding the client ID and secret, and the identity server. */
  readonly oauthClientIdEnv?: string;
  readonly oauthClientSecretEnv?: string;
  readonly identityUrl?: string;
}

export interface PinEntry {
  /** Its place in the list, for messages: `CREATIO_SSO_PINS[2]`. */
  readonly index: number;
  readonly userPoolId: string;
  readonly creatioUrl?: string;
  readonly domain?: string;
  readonly clientId?: string;
  /** The variable holding this config's app client secret. */
  readonly clientSecretEnv?: string;
  readonly creatioCredentials?: CreatioCredentialsPin;
}

export const PINS_VAR = 'CREATIO_SSO_PINS';

export type PinsResult = { ok: true; entries: readonly PinEntry[] } | { ok: false; problem: string };

const ENTRY_FIELDS = ['creatioUrl', 'userPoolId', 'domain', 'clientId', 'creatioCredentials', 'clientSecretEnv'] as const;
const FORMS_FIELDS = ['usernameEnv', 'passwordEnv'] as const;
const OAUTH_FIELDS = ['oauthClientIdEnv', 'oauthClientSecretEnv', 'identityUrl'] as const;
/** A variable's name, as `--client-secret-env` takes it (§10: a value that looks like a secret is no name). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_TEXT = 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class PinProblem extends Error {}

/** Parse the variable's text; an empty or unset variable is no pins at all. */
export function parsePins(text: string | undefined): PinsResult {
  if (text === undefined || text.trim() === '') return { ok: true, entries: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {
      ok: false,
      problem: `${PINS_VAR} is not JSON: give a JSON list of entries, e.g. [{"userPoolId":"eu-west-1_AbC","domain":"login.example.com"}].`,
    };
  }
  if (!Array.isArray(raw)) return { ok: false, problem: `${PINS_VAR} must be a JSON list of entries ([{…}, …]).` };
  try {
    const entries = raw.map((e: unknown, index) => entryOf(e, index));
    const seen = new Map<string, number>();
    for (const e of entries) {
      const key = `${e.userPoolId}\u0000${e.creatioUrl === undefined ? '' : bareUrl(e.creatioUrl)}`;
      const before = seen.get(key);
      if (before !== undefined)
        return {
          ok: false,
          problem: `${PINS_VAR}[${e.index}] pins the same pool${e.creatioUrl ? ' and site' : ''} as ${PINS_VAR}[${before}]: one entry per environment.`,
        };
      seen.set(key, e.index);
    }
    return { ok: true, entries };
  } catch (e) {
    if (e instanceof PinProblem) return { ok: false, problem: e.message };
    throw e;
  }
}

function entryOf(e: unknown, index: number): PinEntry {
  const at = (field?: string) => `${PINS_VAR}[${index}]${field ? `.${field}` : ''}`;
  if (!isRecord(e)) throw new PinProblem(`${at()} must be an object ({"userPoolId": …, …}).`);
  unknownFields(e, ENTRY_FIELDS, at);
  const text = (field: string, required = false): string | undefined => {
    const v = e[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_TEXT)
      throw new PinProblem(`${at(field)} must be ${required ? 'given as ' : ''}a non-empty string.`);
    return v.trim();
  };
  const userPoolId = text('userPoolId', true)!;
  const creatioUrl = text('creatioUrl');
  const domain = text('domain');
  const clientId = text('clientId');
  const clientSecretEnv = variableName(e, 'clientSecretEnv', at);
  const creatioCredentials =
    e.creatioCredentials === undefined
      ? undefined
      : credentialsOf(e.creatioCredentials, (f) => at(`creatioCredentials${f ? `.${f}` : ''}`));
  return {
    index,
    userPoolId,
    ...(creatioUrl !== undefined ? { creatioUrl } : {}),
    ...(domain !== undefined ? { domain } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(clientSecretEnv !== undefined ? { clientSecretEnv } : {}),
    ...(creatioCredentials !== undefined ? { creatioCredentials } : {}),
  };
}

function credentialsOf(c: unknown, at: (field?: string) => string): CreatioCredentialsPin {
  if (!isRecord(c))
    throw new PinProblem(
      `${at()} must be an object: {"usernameEnv","passwordEnv"} or {"oauthClientIdEnv","oauthClientSecretEnv","identityUrl"?}.`,
    );
  const forms = FORMS_FIELDS.some((f) => f in c);
  const fields = forms ? FORMS_FIELDS : OAUTH_FIELDS;
  unknownFields(c, fields, at);
  if (forms) {
    const usernameEnv = variableName(c, 'usernameEnv', at, true)!;
    const passwordEnv = variableName(c, 'passwordEnv', at, true)!;
    return { usernameEnv, passwordEnv };
  }
  const oauthClientIdEnv = variableName(c, 'oauthClientIdEnv', at, true)!;
  const oauthClientSecretEnv = variableName(c, 'oauthClientSecretEnv', at, true)!;
  const identityUrl = c.identityUrl;
  if (
    identityUrl !== undefined &&
    (typeof identityUrl !== 'string' || !/^https?:\/\//i.test(identityUrl.trim()) || identityUrl.length > MAX_TEXT)
  )
    throw new PinProblem(`${at('identityUrl')} must be an http(s) URL.`);
  return { oauthClientIdEnv, oauthClientSecretEnv, ...(typeof identityUrl === 'string' ? { identityUrl: identityUrl.trim() } : {}) };
}

function variableName(o: Record<string, unknown>, field: string, at: (field?: string) => string, required = false): string | undefined {
  const v = o[field];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || !VARIABLE_NAME.test(v) || v.length > 256)
    throw new PinProblem(
      `${at(field)} must ${v === undefined ? 'be given: ' : 'be '}the name of an environment variable ([A-Za-z_][A-Za-z0-9_]*), not its value.`,
    );
  // §10: a name shaped like a secret (24–64 letters and digits) is most likely the secret itself, pasted: refused, never shown.
  if (looksLikeSecretNotName(v))
    throw new PinProblem(
      `${at(field)} looks like a secret, not the name of the variable that holds it: give the variable's NAME. If you pasted the secret, rotate it: it is in your CI settings.`,
    );
  return v;
}

function unknownFields(o: Record<string, unknown>, known: readonly string[], at: (field?: string) => string): void {
  // A field's name comes from outside and could be anything (a pasted secret): it is counted, never shown.
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new PinProblem(
      `${at()} has ${unknown.length === 1 ? 'a field that is' : `${unknown.length} fields that are`} not one of ${known.join(', ')}.`,
    );
}

const bareUrl = (url: string) => url.trim().replace(/\/+$/, '').toLowerCase();

/**
 * The entry that pins a config: its `userPoolId` equals the config's, and its `creatioUrl`, when given,
 * equals the config's site (a trailing slash and the host's case aside). When several match, the one with
 * a site wins over one without.
 */
export function pinFor(entries: readonly PinEntry[], config: { userPoolId?: string; creatioUrl?: string }): PinEntry | undefined {
  const pool = config.userPoolId?.trim();
  if (!pool) return undefined;
  const matching = entries.filter(
    (e) =>
      e.userPoolId === pool &&
      (e.creatioUrl === undefined || (config.creatioUrl !== undefined && bareUrl(e.creatioUrl) === bareUrl(config.creatioUrl))),
  );
  return matching.find((e) => e.creatioUrl !== undefined) ?? matching[0];
}
