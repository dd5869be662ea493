/**
 * The GitHub Actions job summary (§17): Markdown that `validate`, `doctor` and `plan` append to the file
 * `GITHUB_STEP_SUMMARY` names. Pure: the command writes the text at the edge (src/report/job-summary.ts).
 *
 * GitHub renders the summary as Markdown with HTML allowed, so a config value, a message quoting one or a
 * server's answer could otherwise add a link, an image (fetched by every reader's browser), an HTML element
 * or a table column. Every outside value goes through `mdText` and only ever into a table cell.
 */
import type { Finding } from '../findings.js';
import { visible } from '../text.js';

/** §17: the summary stops growing at 1 MiB and says how much was left out. */
export const SUMMARY_MAX_BYTES = 1024 * 1024;

/**
 * One outside value as inert Markdown text on one line. Control characters and line breaks become
 * visible `\uXXXX` escapes (`visible`, §10); `<`, `>` and `&` become HTML entities (no element, no entity
 * of the value's own); every other ASCII punctuation character is backslash-escaped (CommonMark renders it
 * literally): `\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `!` and the rest. Escaping `:`, `.` and `@` too keeps
 * GFM's autolinks (`https://…`, `www.…`, `a@b.c`) from turning bare text into a link.
 */
export function mdText(value: string): string {
  return visible(value).replace(/[!-/:-@[-`{-~]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

/** A table row of cells the tool composed: each value escaped, none able to add or remove a column. */
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |\n`;
const header = (names: readonly string[]): string => `${row(names)}${row(names.map(() => '---'))}`;

/** Any value as a cell: strings escaped, other values as JSON (escaped too). */
export function cell(value: unknown): string {
  if (value === undefined) return '';
  return mdText(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
}

/**
 * A summary built a table at a time, bounded: once the next line would pass `max` bytes, lines are only
 * counted, and `text()` ends with "and N more".
 */
export class JobSummary {
  private readonly parts: string[] = [];
  private bytes = 0;
  private left = 0;
  private open: string | undefined;
  private readonly reserve = 200;

  constructor(
    private readonly redact: (text: string) => string = (t) => t,
    private readonly max = SUMMARY_MAX_BYTES,
  ) {}

  /** A line of the tool's own words (a heading, a table header): never outside text. */
  own(line: string): this {
    this.close();
    return this.push(line.endsWith('\n') ? line : `${line}\n`);
  }

  /**
   * Rows of a table, each cell an outside value (escaped, masked). Rows under the same header as the
   * last call continue that table, so a command can add them as its files come.
   */
  table(names: readonly string[], rows: readonly (readonly unknown[])[]): this {
    if (!rows.length) return this;
    const head = header(names);
    if (this.open !== head) {
      this.close();
      this.push(`\n${head}`);
      this.open = head;
    }
    for (const r of rows) this.push(row(r.map((v) => cell(typeof v === 'string' ? this.redact(v) : v))));
    return this;
  }

  /** Ends the open table (the next line of text would otherwise join it). */
  close(): this {
    if (this.open !== undefined) this.push('\n');
    this.open = undefined;
    return this;
  }

  /** The findings of one file: code, severity, line, message. */
  findings(file: string, findings: readonly Finding[]): this {
    return this.table(
      ['File', 'Code', 'Severity', 'Line', 'Message'],
      findings.map((f) => [file, f.code, f.severity, f.line ?? '', f.message]),
    );
  }

  private push(text: string): this {
    const size = Buffer.byteLength(text, 'utf8');
    if (this.left > 0 || this.bytes + size > this.max - this.reserve) this.left++;
    else {
      this.parts.push(text);
      this.bytes += size;
    }
    return this;
  }

  text(): string {
    this.close();
    const more = this.left ? `\n… and ${this.left} more line${this.left === 1 ? '' : 's'} (the summary stops at 1 MiB).\n` : '';
    return `${this.parts.join('')}${more}`;
  }
}

/** The words for a file's result. */
export const RESULT = { ok: '✅ passed', failed: '❌ failed', pending: '🟡 changes pending', inconclusive: '❔ inconclusive' } as const;
