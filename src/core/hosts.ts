import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * Host names are host names: what DNS accepts, in the form that goes into URLs. `domainToASCII` and
 * `domainToUnicode` are pure functions of node:url (no I/O), so this stays in the pure core.
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
  const ascii = domainToASCII(written.toLowerCase());
  if (!ascii) return { ok: false, detail: 'it is not a valid host name' };
  if (ascii.length > MAX_HOST_LENGTH) return { ok: false, detail: `it is longer than ${MAX_HOST_LENGTH} characters` };
  const bad = ascii.split('.').find((l) => !DNS_LABEL.test(l));
  if (bad !== undefined) {
    return {
      ok: false,
      detail: 'it is not a valid host name (each part between dots has 1–63 letters, digits and "-", and does not start or end with "-")',
    };
  }
  // An `xn--` label that does not decode is no IDN: Node 20 refuses it in domainToASCII, Node 24 passes it through.
  if (ascii.split('.').some((l) => l.startsWith('xn--') && domainToUnicode(l) === l))
    return { ok: false, detail: 'it is not a valid host name' };
  const idn = ascii.split('.').some((l) => l.startsWith('xn--')) ? { unicode: domainToUnicode(ascii), ascii } : undefined;
  return { ok: true, host: ascii, ...(idn ? { idn } : {}) };
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
