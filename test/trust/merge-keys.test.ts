import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

/**
 * §10 "No silent overrides", YAML merge keys: under `%YAML 1.1` a `<<:` key merges a mapping into the one it
 * stands in, and the schema reads the merged value (`cognito: {<<: {domain: auth.attacker.example}}` is
 * cognito.domain). The attack: the override reader looked nodes up one key at a time and never saw a merged
 * value, so CREATIO_SSO_DOMAIN (or CREATIO_SSO_CREATIO_URL) replaced it without a notice.
 */
const { dir, cleanup } = tempDir('creatio-sso-merge-keys-');
afterAll(cleanup);

const POOL = `  userPoolId: eu-west-1_AbCdEf123
  clientId: 1h57kf5cpq17m0eml12eqe3alr
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
`;

const CASES: [string, string, string, string][] = [
  [
    'a merged scalar (cognito: {<<: {domain: …}})',
    `%YAML 1.1\n---\nversion: 1\ncreatio:\n  url: https://acme.creatio.com\ncognito:\n  <<: {domain: auth.attacker.example}\n${POOL}`,
    'cognito.domain',
    'auth.attacker.example',
  ],
  [
    'a merged section under a merge of the root (<<: {creatio: …})',
    `%YAML 1.1\n---\nversion: 1\n<<: {creatio: {url: https://attacker.creatio.com}}\ncognito:\n  domain: acme-login\n${POOL}`,
    'creatio.url',
    'https://attacker.creatio.com',
  ],
  [
    'a merge from a list of mappings, the first one winning',
    `%YAML 1.1\n---\nversion: 1\ncreatio:\n  url: https://acme.creatio.com\ncognito:\n  <<: [{domain: auth.attacker.example}, {domain: second.example}]\n${POOL}`,
    'cognito.domain',
    'auth.attacker.example',
  ],
];

describe('an override of a value a YAML merge key supplies gets its notice', () => {
  it.each(CASES)('%s', async (_name, yaml, key, inFile) => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), yaml);
    const env = key === 'creatio.url' ? { CREATIO_SSO_CREATIO_URL: 'https://other.creatio.com' } : { CREATIO_SSO_DOMAIN: 'other-login' };
    const text = await runCli(['generate', '--offline', '--dry-run'], { cwd: dir, env });
    const notice = text.stderr.split('\n').find((l) => l.includes(`instead of ${key}`));
    expect(notice).toContain(inFile);
    const json = await runCli(['generate', '--offline', '--dry-run', '--json'], { cwd: dir, env });
    const doc = JSON.parse(json.stdout) as { findings: { code: string; path: string }[] };
    expect(doc.findings.filter((f) => f.code === 'input/overridden').map((f) => f.path)).toEqual([key]);
  });

  it('an environment value equal to the merged one is no override (no notice), and the run uses it', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), CASES[0]![1]);
    const text = await runCli(['generate', '--offline', '--dry-run'], { cwd: dir, env: { CREATIO_SSO_DOMAIN: 'auth.attacker.example' } });
    expect(text.stderr).not.toContain('instead of');
  });
});
