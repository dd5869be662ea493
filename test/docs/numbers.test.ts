import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings/inputs.js';
import { MAX_MESSAGE_LENGTH } from '../../src/core/text.js';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_BYTES } from '../../src/net/http.js';
import { ROOT } from '../support/cli.js';
import { CONFIGS_AT_ONCE } from '../../src/commands/many.js';
import { THROTTLED_ATTEMPTS } from '../../src/aws/client.js';

/** The numbers the docs promise (each on the page that holds it) are the ones the code uses. */
describe('the numbers in the docs match the code', () => {
  const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

  it.each([
    ['the default --timeout', 'docs/commands.md', `**\`--timeout <ms>\`** (default \`${DEFAULT_TIMEOUT_MS}\`)`],
    [
      'the default --timeout in the global options',
      'docs/commands.md',
      `\`--timeout <ms>\` for every network request (default ${DEFAULT_TIMEOUT_MS})`,
    ],
    ['the answer size limit', 'docs/commands.md', `Answers over **${DEFAULT_MAX_BYTES / (1024 * 1024)} MiB** are refused`],
    ['the requests in flight', 'docs/commands.md', `at most **${DEFAULT_CONCURRENCY}** requests are in flight`],
    ['the message clip', 'docs/security.md', `A finding message is at most ${MAX_MESSAGE_LENGTH} characters`],
    ['the message clip (style)', 'CONTRIBUTING.md', `at most ${MAX_MESSAGE_LENGTH} characters`],
    ['configs checked at once', 'docs/commands.md', `check at most **${CONFIGS_AT_ONCE} configs at once**`],
    ['attempts of a throttled AWS call', 'docs/commands.md', `retries (up to ${THROTTLED_ATTEMPTS} attempts)`],
  ])('%s (%s)', (_what, file, text) => {
    expect(read(file)).toContain(text);
  });
});
