import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { spawnInTerminal } from '../support/pty.js';

/**
 * stderr at a terminal. The built CLI does not build process.stderr until it writes to it (src/cli/process.ts
 * tells a terminal from fstat and node:tty instead): a message on stderr must still come in colour and
 * wrapped at the terminal's width.
 */
const { dir, cleanup } = tempDir('creatio-sso-terminal-');
afterAll(cleanup);

describe('stderr at a terminal', () => {
  it('a usage error is red and wrapped at the terminal width', async () => {
    const t = spawnInTerminal(['doctor'], { cwd: dir, cols: 50 });
    expect(await t.exited).toBe(2);
    // No config file here: the message names the flag and the command that makes one.
    expect(t.screen).toContain('No config file');
    expect(t.raw).toContain('\u001b[31mUsage error: \u001b[39m');
    const lines = t.screen.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.length <= 50)).toBe(true);
  });

  it('NO_COLOR: the same message without colour', async () => {
    const t = spawnInTerminal(['doctor'], { cwd: dir, cols: 50, env: { NO_COLOR: '1' } });
    expect(await t.exited).toBe(2);
    expect(t.screen).toContain('Usage error: No config file');
    expect(t.raw).not.toContain('\u001b[31m');
  });
});
