/**
 * Counts the assertions the suite makes, so a change that makes the tests faster can show it did not
 * make them weaker (the total may move between files, never fall). Not part of the default
 * run: vitest.config.ts adds this set-up file only when CREATIO_SSO_COUNT_ASSERTIONS names a file,
 * and every test file appends one line `<count>\t<file>` to it.
 *
 *   CREATIO_SSO_COUNT_ASSERTIONS=/tmp/assertions.tsv npx vitest run
 *   awk '{ n += $1 } END { print n }' /tmp/assertions.tsv
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, expect } from 'vitest';

// Property tests draw other values each run, and some assert once per value drawn: a fixed seed makes
// two counts of the same tests equal, so a difference is a change of the tests, not of the luck.
fc.configureGlobal({ seed: 22 });

const out = process.env.CREATIO_SSO_COUNT_ASSERTIONS;
let count = 0;

afterEach(() => {
  count += expect.getState().assertionCalls;
});

afterAll(() => {
  const file = expect.getState().testPath ?? '?';
  if (out) appendFileSync(out, `${count}\t${path.relative(process.cwd(), file)}\n`);
  count = 0;
});
