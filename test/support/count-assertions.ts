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
import { afterAll, afterEach, expect } from 'vitest';

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
