import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * `--config` twice used to check the last file only and say nothing of the first (commander keeps the last
 * value): a CI step `doctor --config a.yaml --config b.yaml` passed on b alone. Commands that take one
 * config refuse it; validate, doctor and plan check each (test/many-configs.test.ts).
 */
describe('--config given twice', () => {
  it.each(['generate', 'apply', 'rotate'])('%s: exit 2 before anything is read, saying how to check several', async (command) => {
    const r = await runCli([command, '--config', 'a.yaml', '--config', 'b.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('takes one config file: run the command once per config');
    expect(r.stderr).not.toMatch(/does not exist|not found|ENOENT/);
  });
});
