import { finding, type Finding } from '../findings.js';

/**
 * The byte guard: a config file's bytes become text only when they are a config file's size and
 * UTF-8 text. Pure: the caller reads the file.
 *
 * Larger inputs are refused before parsing. A config file is a few hundred bytes; 64 KiB leaves room
 * for comments and many claim rows, while the YAML parser's time and memory on hostile input grow
 * fast with size (a 1 MiB file of `[` takes it past a gigabyte).
 */
export const MAX_CONFIG_BYTES = 64 * 1024;

const atStart = (f: Finding): Finding => ({ ...f, line: 1, column: 1 });

export function decodeConfigBytes(bytes: Uint8Array): { text?: string; finding?: Finding } {
  if (bytes.byteLength > MAX_CONFIG_BYTES) {
    return {
      finding: atStart(
        finding(
          'config/parse',
          '',
          `The file is ${bytes.byteLength} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes. Point the command at the config file.`,
        ),
      ),
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { finding: atStart(finding('config/parse', '', 'The file is not UTF-8 text. Save it as UTF-8.')) };
  }
  if (text.includes('\u0000')) {
    return { finding: atStart(finding('config/parse', '', 'The file contains NUL bytes: it is binary, not a YAML/JSON config file.')) };
  }
  return { text };
}

/**
 * The text as the YAML parser should see it, or a finding when it is too long: without a leading
 * BOM, and with lone CRs made LF (a lone CR ends a line in YAML 1.2, but not for the yaml package;
 * the offsets stay the same).
 */
export function configSource(text: string): { source: string; finding?: undefined } | { source?: undefined; finding: Finding } {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const source = /\r(?!\n)/.test(withoutBom) ? withoutBom.replace(/\r(?!\n)/g, '\n') : withoutBom;
  if (source.length > MAX_CONFIG_BYTES) {
    return {
      finding: atStart(
        finding(
          'config/parse',
          '',
          `The file has ${source.length} characters; a config file is at most ${MAX_CONFIG_BYTES}. Point the command at the config file.`,
        ),
      ),
    };
  }
  return { source };
}
