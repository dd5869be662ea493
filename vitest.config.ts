import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI and start loopback servers: give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The JSON report is what .ci/run counts passes and failures from.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    // Never let a test reach AWS: the CLI is always pointed at loopback overrides by the helpers.
    env: { CREATIO_SSO_TEST: '1' },
  },
});
