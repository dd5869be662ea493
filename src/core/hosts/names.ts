import { domainToASCII } from 'node:url';
import { punycodeDecode, punycodeEncode } from './punycode.js';

/**
 * Host names are host names: what DNS accepts, in the form that goes into URLs. `domainToASCII` is a
 * pure function of node:url (no I/O), so this stays in the pure core. It turns Unicode labels into their
 * `xn--` form; whether a label already in that form is valid is the tool's own rule (`aceLabelText`),
 * because Node's answer changed between versions (SPEC §18).
 */

/** A DNS label: 1–63 letters, digits and `-`, neither first nor last `-`. */
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const MAX_HOST_LENGTH = 253;

/** Both forms of an internationalized host name. */
export interface IdnForms {
  unicode: string;
  ascii: string;
}

export type HostName = { ok: true; host: string; idn?: IdnForms } | { ok: false; detail: string };

/**
 * A host name as written (Unicode or `xn--` labels allowed, a final dot ignored), reduced to its
 * lower-case ASCII form; `idn` holds both forms when it is internationalized.
 */
export function checkHostName(raw: string): HostName {
  const written = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (written === '') return { ok: false, detail: 'it has no host name' };
  // Anything the WHATWG URL parser would turn into something else (a "\" into "/") is no host name.
  if (/[\s\\/@:?#[\]%]/.test(written)) return { ok: false, detail: 'it is not a valid host name' };
  // xn-- labels are judged here (and kept as written); Node's UTS #46 mapping does the rest of the name,
  // whole, so that what it does with numbers (an IPv4 address) stays as it was. Each xn-- label stands
  // aside behind a placeholder that mapping keeps as it is.
  const aside = new Map<string, string>();
  const lower = written.toLowerCase();
  for (const label of lower.split('.')) {
    if (!label.startsWith('xn--')) continue;
    if (aceLabelText(label) === undefined) return { ok: false, detail: 'it is not a valid host name' };
    aside.set(`ace-${aside.size}-k7q9z`, label);
  }
  const stand = new Map([...aside].map(([k, v]) => [v, k]));
  const mapped = domainToASCII(
    lower
      .split('.')
      .map((l) => stand.get(l) ?? l)
      .join('.'),
  );
  if (!mapped) return { ok: false, detail: 'it is not a valid host name' };
  const ascii = mapped
    .split('.')
    .map((l) => aside.get(l) ?? l)
    .join('.');
  if (ascii.length > MAX_HOST_LENGTH) return { ok: false, detail: `it is longer than ${MAX_HOST_LENGTH} characters` };
  const bad = ascii.split('.').find((l) => !DNS_LABEL.test(l));
  if (bad !== undefined) {
    return {
      ok: false,
      detail: 'it is not a valid host name (each part between dots has 1–63 letters, digits and "-", and does not start or end with "-")',
    };
  }
  const parts = ascii.split('.');
  const idn = parts.some((l) => l.startsWith('xn--'))
    ? { unicode: parts.map((l) => (l.startsWith('xn--') ? aceLabelText(l) : undefined) ?? l).join('.'), ascii }
    : undefined;
  return { ok: true, host: ascii, ...(idn ? { idn } : {}) };
}

/**
 * The Unicode text of an `xn--` label (lower case), or undefined when the label is not one: its
 * Punycode must decode to a label that differs from the ASCII it is written in (it holds a character
 * beyond ASCII, and no control character), and encode back to exactly the label.
 */
export function aceLabelText(label: string): string | undefined {
  const text = punycodeDecode(label.slice(4));
  if (text === undefined || !/[^\0-\x7f]/u.test(text) || /[\0-\x1f\x7f-\x9f]/u.test(text)) return undefined;
  return `xn--${punycodeEncode(text)}` === label ? text : undefined;
}

/** The user-name part of a URL (`user@`, `user:pass@`) or a backslash, which browsers read as `/`: never part of a host. */
export function hostSmuggling(input: string): string | undefined {
  if (input.includes('\\')) return 'it contains a backslash ("\\"), which URL parsers read as "/": write the host name only';
  const authority = input.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/, 1)[0]!;
  if (authority.includes('@')) return 'it must not contain a user name or password (user@)';
  return undefined;
}

/** The message part of `host/idn`: both forms, so a look-alike name is noticed. */
export const idnNote = (idn: IdnForms): string =>
  `${idn.unicode} is an internationalized host name, written ${idn.ascii} in DNS and URLs. Check that it is the host you mean: letters from other scripts can imitate a familiar name`;
