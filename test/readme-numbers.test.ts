import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS as INPUT_TIMEOUT_MS } from '../src/inputs.js';
import { MAX_MESSAGE_LENGTH } from '../src/core/text.js';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../src/net/http.js';
import { ROOT } from './support/cli.js';

/** The numbers the README promises are the ones the code uses. */
describe('README numbers match the code', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it.each([
    ['the default --timeout', `**\`--timeout <ms>\`** (default \`${DEFAULT_TIMEOUT_MS}\`)`],
    ['the default --timeout in the global options', `\`--timeout <ms>\` for every network request (default ${INPUT_TIMEOUT_MS})`],
    ['the answer size limit', `Answers over **${DEFAULT_MAX_BYTES / (1024 * 1024)} MiB** are refused`],
    ['the requests in flight', `at most **${DEFAULT_CONCURRENCY}** requests are in flight`],
    ['the message clip', `A finding message is at most ${MAX_MESSAGE_LENGTH} characters`],
    ['the message clip (style)', `at most ${MAX_MESSAGE_LENGTH} characters`],
  ])('%s', (_what, text) => {
    expect(readme).toContain(text);
  });

  it('has one default timeout', () => {
    expect(INPUT_TIMEOUT_MS).toBe(DEFAULT_TIMEOUT_MS);
  });
});
