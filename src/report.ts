import type { ChalkInstance } from 'chalk';
import type { Finding, Severity } from './core/findings.js';

/** Findings of one file, as `validate` and `doctor` report them (§9). */
export interface FileReport {
  file: string;
  findings: Finding[];
}

export type ReportFormat = 'text' | 'json' | 'github';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'github'];

const failing = (f: Finding, strict: boolean) => f.severity === 'error' || (strict && f.severity === 'warning');
export const fileOk = (r: FileReport, strict: boolean): boolean => !r.findings.some((f) => failing(f, strict));

export function summarize(reports: readonly FileReport[]) {
  let errors = 0;
  let warnings = 0;
  for (const r of reports) {
    for (const f of r.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
  }
  return { files: reports.length, errors, warnings };
}

/** One JSON document: {"ok","summary","files":[{"file","ok","findings"}]}. */
export function formatJson(reports: readonly FileReport[], strict: boolean): string {
  const doc = {
    ok: reports.every((r) => fileOk(r, strict)),
    summary: summarize(reports),
    files: reports.map((r) => ({ file: r.file, ok: fileOk(r, strict), findings: r.findings })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one annotation per finding, on its line. */
export function formatGithub(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const props = [`file=${escapeProperty(r.file)}`];
      if (f.line) props.push(`line=${f.line}`);
      if (f.column) props.push(`col=${f.column}`);
      props.push(`title=${escapeProperty(f.code)}`);
      lines.push(`::${GITHUB_COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function severityLabel(s: Severity, c: ChalkInstance): string {
  if (s === 'error') return c.red('error  ');
  if (s === 'warning') return c.yellow('warning');
  return c.blue('info   ');
}

/** Findings of one file, one per line, with line:column. */
export function formatFindingsText(r: FileReport, c: ChalkInstance): string {
  const rows = r.findings.map((f) => {
    const where = f.line ? `${f.line}:${f.column ?? 1}` : '';
    return `  ${c.dim(where.padEnd(7))} ${severityLabel(f.severity, c)}  ${c.dim(f.code)}  ${f.message}`;
  });
  return `${c.underline(r.file)}\n${rows.join('\n')}\n`;
}

/** Text report: findings grouped by file, then one summary line. */
export function formatText(reports: readonly FileReport[], c: ChalkInstance, strict: boolean): string {
  const parts = reports.filter((r) => r.findings.length > 0).map((r) => formatFindingsText(r, c));
  const s = summarize(reports);
  const ok = reports.every((r) => fileOk(r, strict));
  const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')}`;
  const summary = ok ? c.green(`✔ ${counts}`) : c.red(`✖ ${counts}${strict && s.errors === 0 ? ' (--strict: warnings fail)' : ''}`);
  return `${parts.join('\n')}${parts.length ? '\n' : ''}${summary}\n`;
}
