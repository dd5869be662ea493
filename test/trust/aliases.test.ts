import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

/**
 * §10 "No silent overrides": the value a flag or variable replaces is the value as the schema reads it,
 * YAML anchors and aliases resolved. The attack: `url: *site`, an alias of a value anchored elsewhere, made
 * the override reader see no value, so CREATIO_SSO_CREATIO_URL replaced the site without a notice.
 */
const { dir, cleanup } = tempDir('creatio-sso-aliases-');
afterAll(cleanup);

const BODY = `  userPoolId: eu-west-1_AbCdEf123
  domain: acme-login
  clientId: 1h57kf5cpq17m0eml12eqe3alr
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
`;

const CASES: [string, string, string, string][] = [
  [
    'a scalar alias (url: *site)',
    `version: 1\nprovider:\n  displayName: &site https://acme.creatio.com\ncreatio:\n  url: *site\ncognito:\n${BODY}`,
    'creatio.url',
    'https://acme.creatio.com',
  ],
  [
    'a whole section behind an alias (cognito: *pool)',
    `version: 1\ncreatio:\n  url: https://acme.creatio.com\nx-pool: &pool\n${BODY}cognito: *pool\n`,
    'cognito.domain',
    'acme-login',
  ],
];

describe('an override of an aliased value gets its notice', () => {
  it.each(CASES)('%s', async (_name, yaml, key, inFile) => {
    // The section case has an unknown key (x-pool) on purpose: a broken file still gets its notice.
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), yaml);
    const env = key === 'creatio.url' ? { CREATIO_SSO_CREATIO_URL: 'https://other.creatio.com' } : { CREATIO_SSO_DOMAIN: 'other-login' };
    const text = await runCli(['generate', '--offline', '--dry-run'], { cwd: dir, env });
    const notice = text.stderr.split('\n').find((l) => l.includes(`instead of ${key}`));
    expect(notice).toContain(inFile);
    const json = await runCli(['generate', '--offline', '--dry-run', '--json'], { cwd: dir, env });
    const doc = JSON.parse(json.stdout) as { findings: { code: string; path: string }[] };
    expect(doc.findings.filter((f) => f.code === 'input/overridden').map((f) => f.path)).toEqual([key]);
  });
});
