import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // End-to-end tests run the CLI in-process (test/support/cli.ts) against loopback servers; a few
    // spawn it or drive a pty. The limits leave room for CPU-heavy property tests on 2 busy cores.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Measured on 2 cores: forks and threads cost the same CPU here; forks keeps node-pty and
    // process-wide state (signal handlers, umask) out of the runner's own process.
    pool: 'forks',
    // vitest's default on 2 cores is one worker (cores - 1); two overlap the CPU-bound files with
    // the ones that mostly wait (pty, spawned processes, timeouts).
    maxWorkers: 2,
    // The JSON report is what .ci/run counts passes and failures from (one per Node version it runs).
    reporters: ['default', ['json', { outputFile: process.env.CREATIO_SSO_TEST_REPORT ?? '.vitest-report.json' }]],
    // Never let a test reach AWS: the CLI is always pointed at loopback overrides by the helpers.
    env: { CREATIO_SSO_TEST: '1' },
    // Counting assertions (test/support/count-assertions.ts) only when asked: it proves a faster suite
    // is no weaker, and costs nothing in the ordinary run.
    setupFiles: process.env.CREATIO_SSO_COUNT_ASSERTIONS ? ['test/support/count-assertions.ts'] : [],
    // The test files of a worker share one module graph (the CLI's modules load once per worker, not once per
    // file): a test passes what it replaces (a parser, a clock, the streams) instead of mocking modules.
    include: ['test/**/*.test.ts'],
    isolate: false,
    // The built bundle (dist/bundle/, run in-process by runCli's build: 'bundle') is already JavaScript for
    // Node: Node imports it as a user's install would, instead of vite transforming ~1 MB of it per worker.
    server: { deps: { external: [/[/\\]dist[/\\]bundle[/\\]/] } },
    // vite's transforms of src/ and test/ (TypeScript) kept on disk (node_modules/.experimental-vitest-cache, keyed by
    // each file's content and the config) instead of redone by each worker on every run: transform 4.1-4.4 s -> 0.8 s
    // and import 5.4-5.7 s -> 2.4-2.8 s of the workers' time once warm. The first run after a change pays as before.
    experimental: { fsModuleCache: true },
  },
});
