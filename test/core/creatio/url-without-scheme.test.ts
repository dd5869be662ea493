import { describe, expect, it } from 'vitest';
import { checkCreatioUrl } from '../../../src/core/config/checks.js';
import { EXAMPLE_YAML, runCli, tempDir } from '../../support/cli.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

describe('a Creatio URL without a scheme', () => {
  it.each([
    ['acme.creatio.com', 'https://acme.creatio.com', 'Added https://: the site root is https://acme.creatio.com'],
    [
      'crm.acme.com/Demo_1/',
      'https://crm.acme.com/Demo_1',
      'Added https://, removed trailing slash: the site root is https://crm.acme.com/Demo_1',
    ],
    ['localhost:8080', 'https://localhost:8080', 'Added https://: the site root is https://localhost:8080'],
  ])('%s becomes %s with a notice', (raw, url, note) => {
    const r = checkCreatioUrl(raw);
    expect(r.value).toBe(url);
    expect(r.note).toBe(note);
    expect(r.findings.map((f) => [f.code, f.severity])).toContainEqual(['creatio-url/normalized', 'warning']);
  });

  it.each(['acme', 'ftp://acme.creatio.com', 'user@acme.creatio.com', ''])('%j stays an error', (raw) => {
    expect(checkCreatioUrl(raw).findings.map((f) => f.code)).toEqual(['creatio-url/invalid']);
  });

  it('gets the notice from a flag in every command that takes one', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
      const flags = ['--creatio-url', 'acme.creatio.com'];
      const pool = ['--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login', '--client-id', '1h57kf5cpq17m0eml12eqe3alr'];
      const runs = [
        await runCli(['urls', ...pool.slice(0, 4), ...flags], { cwd: dir }),
        await runCli(['generate', '--offline', '--dry-run', ...flags], { cwd: dir }),
        await runCli(['init', '--non-interactive', '--offline', '--dry-run', ...pool, ...flags], {
          cwd: dir,
          env: { CREATIO_SSO_CLIENT_SECRET: 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w' },
        }),
      ];
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toMatch(/warning\s+creatio-url\/normalized\s+Added https:\/\/: the site root is https:\/\/acme\.creatio\.com/);
        expect(r.stdout).toContain('https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback');
      }
    } finally {
      cleanup();
    }
  });
});
