import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

/** The README's first command, as a reader of a fresh clone types it: its `npx creatio-sso` arguments. */
function firstCommand(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```sh\n([^`]*?)\n```/.exec(readme)![1]!;
  const line = block.split('\n')[0]!;
  // The command, without the comment after it.
  const args = line.split('npx creatio-sso ')[1]!.replace(/\s+#.*$/, '');
  return args.trim().split(/\s+/);
}

describe("the README's first command", () => {
  it('runs generate on the example config with no secret, no AWS and no network', () => {
    expect(firstCommand()).toEqual(['generate', '--config', 'examples/creatio-sso.yaml', '--offline', '--dry-run']);
  });

  it('prints the three artifacts, secret masked, and writes nothing', async () => {
    // No COGNITO_CLIENT_SECRET: --dry-run masks the secret anyway, so an unset variable is only a warning.
    const r = await runCli(firstCommand(), { cwd: ROOT });
    expect(r.code).toBe(0);
    for (const file of ['creatio-sso-record.json', 'cognito-app-client.json', 'SETUP.md']) {
      expect(r.stdout).toContain(`--- ${path.join('creatio-sso', file)} (mode`);
    }
    expect(r.stdout).toContain('"ClientSecret": "********"');
    expect(r.stderr).toMatch(/warning\s+client-secret\/unresolved/);
    expect(r.stderr).toContain('Dry run: nothing was written.');
  });

  it('with the secret set, still masks it', async () => {
    const secret = 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w';
    const r = await runCli(firstCommand(), { cwd: ROOT, env: { COGNITO_CLIENT_SECRET: secret } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain('client-secret/unresolved');
  });

  it('without --dry-run, an unset secret is still an error (exit 1, nothing written)', async () => {
    const r = await runCli(['generate', '--config', 'examples/creatio-sso.yaml', '--offline', '--out-dir', '/nonexistent-never-written'], {
      cwd: ROOT,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\s+client-secret\/unresolved/);
  });
});
