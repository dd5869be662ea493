/**
 * The one module for text from outside (SPEC §10): network answers, config values, environment
 * variables, arguments and errors. Escaping (`visible` — the one escaping function — and the
 * stream-level `visibleStream`), composed lines (`Shown`, `shown`), clipping (`clip`, `clipValue`) and
 * masking (`maskSecrets`). Pure: no I/O, usable from every layer, core included.
 */

/* ----------------------------------------------------------------------------------------------------- */
/* Escaping (§10 "Nothing from outside reaches the terminal raw"): an escape sequence can clear the screen, */
/* retitle the window or recolour a line; a line break (LF, CR, VT, FF, NEL, LS, PS) can forge a report   */
/* line (`✔ token: accepted`) or a workflow command. Every such character is shown as a visible escape.  */

/** C0 (with TAB, LF, CR), DEL, C1, and the two Unicode line separators a terminal or editor may honour. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `\u001b`: the same escape in text, JSON strings and JavaScript, so a stream-level pass never breaks a JSON document. */
const escapeOf = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One value on one line: every control character (line breaks too) as a visible `\uXXXX` escape. */
export const visible = (text: string): string => text.replace(CONTROL, escapeOf);

/**
 * An SGR colour sequence (`ESC [ … m`): the only escape the tool itself writes (chalk). Output streams
 * that are coloured keep these; everything else is made visible.
 */
const SGR_OR_CONTROL = /\u001b\[[0-9;]*m|\r(?!\n)|[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * The last line of defence at the stream (src/io/output.ts): line breaks (LF, CRLF), tabs and — when the stream
 * is coloured — colour sequences pass, every other control character is made visible. Values are
 * sanitized where they are formatted (`visible`); this catches whatever a message forgot.
 */
export function visibleStream(text: string, keepColour: boolean): string {
  return text.replace(SGR_OR_CONTROL, (m) => (m.length > 1 && keepColour ? m : m.replace(CONTROL, escapeOf)));
}

/**
 * A JSON document that is safe on a terminal: `JSON.stringify` escapes C0 but writes DEL, C1 and
 * U+2028/2029 raw. Those can only occur inside strings, so replacing them in the text keeps it valid JSON.
 */
export function jsonVisible(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029]/g, escapeOf);
}

/** `JSON.stringify` followed by `jsonVisible`: the only way a JSON document is written. */
export function stringifyVisible(value: unknown, space?: number): string {
  return jsonVisible(JSON.stringify(value, null, space));
}

/** 24–64 characters of `[A-Za-z0-9+]` mixing letters and digits: the shape of a client secret (§10). */
const SECRET_SHAPED = /(?<![\w+])(?=[A-Za-z0-9+]*[A-Za-z])(?=[A-Za-z0-9+]*[0-9])[A-Za-z0-9+]{24,64}(?![\w+])/g;

/**
 * A usage error that quotes the command line (commander's "unknown option '…'", "argument '…' is
 * invalid"): arguments are outside text, so control characters are made visible, and a word shaped
 * like a secret (pasted where a flag or name belongs) is shown as `***`.
 */
export const usageErrorVisible = (text: string): string => visibleStream(text, false).replace(SECRET_SHAPED, '***');

/* ----------------------------------------------------------------------------------------------------- */
/* Composed lines: what the one writer (src/io/output.ts) accepts.                                        */

declare const SHOWN: unique symbol;
/**
 * Text the tool composed for a terminal: its own words, with every outside value already passed through
 * `visible` (so no outside value holds a line break or an escape sequence). The writer (Output.out/err)
 * takes nothing else, so a value interpolated raw into a printed line is a type error, not a forged line.
 * Made only by `shown` (the tag), `oneLine`, `quote`, `machine` and the formatters built on them.
 */
export type Shown = string & { readonly [SHOWN]: true };

/** What may be interpolated into a composed line: a composed part as it is, anything else escaped. */
export type ShownPart = Shown | string | number | boolean | undefined;

/**
 * The brand is a type: at run time a composed text is a plain string. To tell one apart from an outside
 * value when it is interpolated again, composed texts that hold a control character (the tool's own line
 * breaks and colours: the only ones `visible` would change) are remembered here; every other string is
 * the same under `visible`, so it needs no memory. Bounded: a composed text is interpolated right after
 * it is made. An outside value equal to a remembered text prints as the tool itself printed it earlier in
 * this run — it cannot add a control character the tool did not write.
 */
const COMPOSED = new Set<string>();
const MAX_COMPOSED = 4096;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Text the tool composed, as `Shown` (core/text.ts and the writer's colours only: everything else composes with `shown`). */
export function composed(text: string): Shown {
  if (HAS_CONTROL.test(text) && !COMPOSED.has(text)) {
    COMPOSED.add(text);
    if (COMPOSED.size > MAX_COMPOSED) COMPOSED.delete(COMPOSED.values().next().value!);
  }
  return text as Shown;
}

/** Whether `text` may be interpolated as it is: composed by the tool, or without any control character. */
export const isComposed = (text: string): text is Shown => !HAS_CONTROL.test(text) || COMPOSED.has(text);

/**
 * The tag lines are composed with: the template's literal text is the tool's own (line breaks included);
 * every interpolated value that is not already `Shown` passes through `visible`, so it cannot begin a
 * line of its own, forge a `✔` line or a `::error` workflow command.
 */
export function shown(strings: TemplateStringsArray, ...values: readonly ShownPart[]): Shown {
  let text = strings[0]!;
  values.forEach((v, i) => (text += part(v) + strings[i + 1]!));
  return composed(text);
}
const part = (v: ShownPart): string => (typeof v === 'string' ? (isComposed(v) ? v : visible(v)) : v === undefined ? '' : String(v));

/** Text that must be one line (a note, a check summary, a spinner's text): every control character escaped. */
export const oneLine = (text: string): Shown => visible(text) as Shown;

/** Composed lines joined (each already `Shown`). */
export const joinShown = (parts: readonly Shown[], separator: Shown | '' | '\n' = ''): Shown => composed(parts.join(separator));

/**
 * A machine document whose own escaping keeps every outside value on its line: a JSON document made by
 * `stringifyVisible`, GitHub workflow commands whose data escapes CR and LF as %0D/%0A.
 */
export const machine = (text: string): Shown => composed(text);

/* ----------------------------------------------------------------------------------------------------- */
/* Clipping: the outside value is shortened, never the tool's own words (§10).                             */

/** The longest finding message shown (§10). */
export const MAX_MESSAGE_LENGTH = 500;

/** Digits grouped by hand: toLocaleString loads ICU's number formatting (~20 ms) for one number. */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
const gapOf = (left: number): string => `…(${grouped(left)} characters left out)…`;

/**
 * An outside value at most `max` characters long: when longer, its middle goes and
 * `…(N characters left out)…` says how much (both ends are kept: a URL's host, a body's end).
 */
export function clipValue(value: string, max = 120): string {
  if (value.length <= max) return value;
  // The gap's own length depends on the count it shows: settle it in two rounds.
  let gap = gapOf(value.length - max);
  gap = gapOf(value.length - Math.max(0, max - gap.length));
  const room = Math.max(0, max - gap.length);
  const head = Math.ceil(room * 0.55);
  return `${value.slice(0, head)}${gap}${value.slice(value.length - (room - head))}`;
}

/** An outside value quoted for a message: clipped to `max`, as a JSON string (control characters escaped). */
export const quote = (s: string, max = 80): Shown => jsonVisible(JSON.stringify(clipValue(s, max))) as Shown;

/**
 * The parts of a message that may be outside values: quoted strings first (§10: inside prose an outside
 * value is quoted), then runs without spaces (a URL, a body) when no quoted value is left to shorten.
 */
const QUOTED_VALUE = /"(?:[^"\\]|\\.)*"/g;
const RUN_VALUE = /[^\s"]{24,}/g;
/** No outside value is shortened below this: what is left must still say which value it was. */
const MIN_VALUE = 16;

/**
 * A message at most `max` characters long (§10): the longest outside value inside it (a quoted string,
 * or a run without spaces such as a URL) is shortened first, again and again, so the tool's own words —
 * what is wrong and the fix — stay whole. Only a message that is still too long then loses its middle.
 * Mask secrets before clipping (maskSecrets): a cut must not leave a prefix of one behind.
 */
export function clip(text: string, max = MAX_MESSAGE_LENGTH): string {
  let t = text;
  while (t.length > max) {
    const floor = MIN_VALUE + gapOf(t.length).length + 2;
    const longestOf = (pattern: RegExp): RegExpExecArray | undefined => {
      let longest: RegExpExecArray | undefined;
      for (const m of t.matchAll(pattern))
        if (m[0].length > floor && (!longest || m[0].length > longest[0].length)) longest = m as RegExpExecArray;
      return longest;
    };
    const longest = longestOf(QUOTED_VALUE) ?? longestOf(RUN_VALUE);
    if (!longest) break;
    const v = longest[0];
    const quoted = v.startsWith('"');
    const inner = quoted ? v.slice(1, -1) : v;
    const target = Math.max(MIN_VALUE + gapOf(t.length).length, inner.length - (t.length - max));
    const shorter = clipValue(inner, target);
    if (shorter.length >= inner.length) break;
    t = t.slice(0, longest.index) + (quoted ? `"${shorter}"` : shorter) + t.slice(longest.index + v.length);
  }
  return t.length <= max ? t : clipValue(t, max);
}

/** A finding message as shown: visible, then clipped (escapes count towards the limit). */
export const messageVisible = (message: string): Shown => clip(visible(message)) as Shown;

/* ----------------------------------------------------------------------------------------------------- */
/* Masking: secrets and credentials, before any clipping (§10).                                            */

export const SECRET_MASK = '********';

/**
 * The forms a secret takes on the wire and in logs: raw, base64 (std and url, padded or not),
 * URL-encoded (upper- and lower-case escapes), form-encoded (`application/x-www-form-urlencoded`: `+` for
 * a space, `%21` for `!`), the base64 form URL- and form-encoded, and the JSON string form.
 */
export function encodedForms(secret: string): string[] {
  if (secret === '') return [];
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  const formEncoded = (s: string) => new URLSearchParams({ s }).toString().slice(2);
  const forms = [
    secret,
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    formEncoded(secret),
    formEncoded(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    formEncoded(secret).replace(/\+/g, '%20'),
    encodeURIComponent(b64),
    formEncoded(b64),
    JSON.stringify(secret).slice(1, -1),
  ];
  return [...new Set(forms)].filter((f) => f !== '');
}

/** A form this short would also match inside ordinary words: it is masked only where it stands as a whole token. */
const SHORT_FORM = 8;
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A whole token: not glued to a letter, digit or `_` on either side. */
const wholeToken = (form: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(form)}(?![\\p{L}\\p{N}_])`, 'gu');

/** Runs that may be base64 of something holding a secret (HTTP Basic credentials and the like). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
/** A URL-like token: a scheme, `://`, then everything up to a space or a quote. */
const URL_TOKEN = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s'"<>]*)/gi;

/**
 * Credentials inside URLs (§10): `scheme://user:pass@host` → `scheme://***@host`. A URL that parses keeps
 * everything after its authority; for a value that does not parse as a URL (`http://bob:s3cr3t/pa55@proxy:3128`),
 * everything between `://` and the last `@` is masked.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_TOKEN, (whole, scheme: string, rest: string) => {
    const at = rest.lastIndexOf('@');
    if (at < 0) return whole;
    let url: URL | undefined;
    try {
      url = new URL(whole);
    } catch {
      url = undefined;
    }
    if (!url) return `${scheme}***@${rest.slice(at + 1)}`;
    if (!url.username && !url.password) return whole;
    // The authority ends at the first / ? # after the last @ before it; the userinfo is all before that @.
    const authorityEnd = rest.search(/[/?#]/);
    const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
    const userinfoEnd = authority.lastIndexOf('@');
    return `${scheme}***@${rest.slice(userinfoEnd + 1)}`;
  });
}

/**
 * Mask every secret in `secrets` (raw values: each in all its encodedForms, and any base64 run that decodes
 * to something holding one), and the credentials inside URLs. A secret of any length is masked: a short one
 * (under 8 characters) wherever it stands as a whole token, so it does not eat ordinary words. Run it before
 * clipping, never after.
 */
export function maskSecrets(text: string, secrets: Iterable<string>, mask = SECRET_MASK): string {
  let t = maskUrlCredentials(text);
  const raw = [...secrets].filter((s) => s !== '');
  if (raw.length === 0) return t;
  const forms = [...new Set(raw.flatMap(encodedForms))].sort((a, b) => b.length - a.length);
  // Longest first, so a secret's base64 is masked whole before a shorter form could split it.
  for (const f of forms) t = f.length >= SHORT_FORM ? t.split(f).join(mask) : t.replace(wholeToken(f), mask);
  return t.replace(BASE64_RUN, (run) => {
    const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    return raw.some((s) => (s.length >= SHORT_FORM ? decoded.includes(s) : wholeToken(s).test(decoded))) ? mask : run;
  });
}

/** The first line of an error's message (or of whatever was thrown), without a final period. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n', 1)[0]!.replace(/\.$/, '');

/** The `message` (or `error`) member of a JSON error body, if the body is one. */
export function jsonErrorMessage(
  body: string | undefined,
  keys: readonly string[] = ['message', 'Message', 'error_description', 'error'],
): string | undefined {
  if (!body) return undefined;
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const k of keys) {
        const m = (v as Record<string, unknown>)[k];
        if (typeof m === 'string') return m;
      }
    }
  } catch {
    // not JSON: no message to quote
  }
  return undefined;
}

/** A message that names where its value came from: `… (from --flag).`, inside the final period, never `.. ` or `. (from …)`. */
export function withSource(message: string, from: string, path?: string): string {
  // Advice in the words the user typed: a value from a flag is changed on the command line, so advice
  // that names the file's key (`Remove cognito.region`) names the flag instead, which also says where it came from.
  if (path && from.startsWith('--') && message.includes(path)) return message.split(path).join(from);
  const m = /^([\s\S]*?)([.!?]?)$/.exec(message.trimEnd())!;
  return `${m[1]} (from ${from})${m[2] || '.'}`;
}

/** The first sentence that says what happened, without the advice after it (for a line shown right above a question). */
export const whatHappened = (message: string): string => message.replace(/\s+(?:Check|Fix|Set|Run|Add|Use)\b[\s\S]*$/, '');
