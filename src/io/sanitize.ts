/**
 * The one sanitizer for text shown to a person (SPEC §10 "Nothing from outside reaches the terminal raw").
 * Text from network answers, config values, environment variables and arguments may hold control
 * characters: an escape sequence can clear the screen, retitle the window or recolour a line, a CR or LF
 * can forge a report line (`✔ token: accepted`). Every such character is shown as a visible escape.
 * Pure: no I/O, usable from every layer.
 */

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
  return json.replace(/[\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `JSON.stringify` followed by `jsonVisible`: the only way a JSON document is written. */
export function stringifyVisible(value: unknown, space?: number): string {
  return jsonVisible(JSON.stringify(value, null, space));
}

/** The longest finding message shown (§10). */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * Clip a message to at most `max` characters. The middle goes: a message says what is wrong first and
 * what to do last, so both ends are kept, joined by "… (N characters left out) …".
 */
export function clip(text: string, max = MAX_MESSAGE_LENGTH): string {
  if (text.length <= max) return text;
  // Digits grouped by hand: toLocaleString loads ICU's number formatting (~20 ms) for one number.
  const gapFor = (left: number) => ` … (${String(left).replace(/\B(?=(\d{3})+$)/g, ',')} characters left out) … `;
  // The gap's own length depends on the count it shows: settle it in two rounds.
  let gap = gapFor(text.length - max);
  gap = gapFor(text.length - (max - gap.length));
  const room = Math.max(0, max - gap.length);
  const head = Math.ceil(room * 0.55);
  return `${text.slice(0, head)}${gap}${text.slice(text.length - (room - head))}`;
}

/** A finding message as shown: visible, then clipped (escapes count towards the limit). */
export const messageVisible = (message: string): string => clip(visible(message));

/** 24–64 characters of `[A-Za-z0-9+]` mixing letters and digits: the shape of a client secret (§10). */
const SECRET_SHAPED = /(?<![\w+])(?=[A-Za-z0-9+]*[A-Za-z])(?=[A-Za-z0-9+]*[0-9])[A-Za-z0-9+]{24,64}(?![\w+])/g;

/**
 * A usage error that quotes the command line (commander's "unknown option '…'", "argument '…' is
 * invalid"): arguments are outside text, so control characters are made visible, and a word shaped
 * like a secret (pasted where a flag or name belongs) is shown as `***`.
 */
export const usageErrorVisible = (text: string): string => visibleStream(text, false).replace(SECRET_SHAPED, '***');
