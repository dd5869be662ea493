import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/** The user's documents: the README, the reference in docs/, and CONTRIBUTING.md. */
const DOCUMENTS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)];
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Markdown outside fenced code blocks. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** The anchors GitHub makes for a document's headings (lower case, punctuation dropped, spaces as "-", repeats numbered). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

describe('the documents cite only what is in the repository', () => {
  it.each(DOCUMENTS)('%s: every relative link names a file here, and every #anchor a heading there', (file) => {
    const broken: string[] = [];
    for (const [, target] of prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
      const [where, anchor] = target!.split('#') as [string, string | undefined];
      const linked = where === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), where));
      if (!existsSync(path.join(ROOT, linked))) {
        broken.push(`${target} (no ${linked})`);
        continue;
      }
      if (anchor !== undefined && !anchors(read(linked)).has(anchor)) broken.push(`${target} (no heading #${anchor} in ${linked})`);
    }
    expect(broken).toEqual([]);
  });

  it.each(DOCUMENTS)('%s: cites no specification outside the repository', (file) => {
    expect(read(file)).not.toMatch(/SPEC\b|§/);
  });

  it('the README links to every page of docs/ and to CONTRIBUTING.md', () => {
    const readme = read('README.md');
    for (const file of DOCUMENTS.filter((f) => f !== 'README.md')) expect(readme).toContain(`](${file}`);
  });
});
