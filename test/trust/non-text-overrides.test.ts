import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

/**
 * §10 "No silent overrides", for a value that is not text: `domain: true`, `domain: [auth.attacker.example]`,
 * a `!!binary` or (under `%YAML 1.1`) a date. The schema would refuse each, but a flag or variable replaces it
 * first, so the run went on with the variable's value and said nothing about what the file held: the
 * override reader only knew text and numbers. The notice now shows the value as written.
 */
const { dir, cleanup } = tempDir('creatio-sso-non-text-');
afterAll(cleanup);

const file = (domain: string, head = '') => `${head}version: 1
creatio:
  url: https://acme.creatio.com
cognito:
  domain: ${domain}
  userPoolId: eu-west-1_AbCdEf123
  clientId: 1h57kf5cpq17m0eml12eqe3alr
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
`;

const CASES: [string, string, string][] = [
  ['a boolean', file('true'), 'true'],
  ['a list', file('[auth.attacker.example]'), 'auth.attacker.example'],
  ['a mapping', file('{host: auth.attacker.example}'), 'auth.attacker.example'],
  ['a !!binary scalar', file('!!binary YXV0aC5hdHRhY2tlci5leGFtcGxl'), 'YXV0aC5hdHRhY2tlci5leGFtcGxl'],
  ['a YAML 1.1 date', file('2001-12-14', '%YAML 1.1\n---\n'), '2001-12-14'],
];

describe('an override of a value that is not text gets its notice', () => {
  it.each(CASES)('%s', async (_name, yaml, shown) => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), yaml);
    const env = { CREATIO_SSO_DOMAIN: 'acme-login' };
    const text = await runCli(['generate', '--offline', '--dry-run'], { cwd: dir, env });
    const notice = text.stderr.split('\n').find((l) => l.includes('instead of cognito.domain'));
    expect(notice).toContain(shown);
    const json = await runCli(['generate', '--offline', '--dry-run', '--json'], { cwd: dir, env });
    const doc = JSON.parse(json.stdout) as { findings: { code: string; path: string }[] };
    expect(doc.findings.filter((f) => f.code === 'input/overridden').map((f) => f.path)).toEqual(['cognito.domain']);
  });

  it('an empty key (domain:) holds nothing: filling it is no override', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), file(''));
    const text = await runCli(['generate', '--offline', '--dry-run'], { cwd: dir, env: { CREATIO_SSO_DOMAIN: 'acme-login' } });
    expect(text.stderr).not.toContain('instead of');
  });
});
