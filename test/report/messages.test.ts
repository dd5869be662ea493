import { overrideFinding } from '../../src/settings/resolve.js';
import { refusal } from '../../src/report/written.js';
import { clientIdMissing } from '../../src/commands/validate.js';
import { describe, expect, it } from 'vitest';
import { checkClientId, checkCreatioUrl, checkDomain, checkUserPoolId } from '../../src/core/config/checks.js';
import { judgeDiscoveryAnswer, type Answer, type DiscoveryExpectation } from '../../src/core/cognito/discovery.js';
import { finding, FINDING_CODES, type Finding } from '../../src/core/findings.js';
import { judgeJwks } from '../../src/core/cognito/jwks.js';
import { whatHappened, withSource } from '../../src/core/text.js';
import { validateConfigText } from '../../src/core/config/validate.js';
import { lookupTrouble } from '../../src/wizard/flow.js';
import { EXAMPLE_YAML, runCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every message template in one place, rendered with sample inputs, for a reviewer to read (run with
 * PRINT_MESSAGES=1 to print the list) and for the rules of CONTRIBUTING.md's "Message style" to hold:
 * ends with a period, no "..", no parenthesis that repeats itself, at most 500 characters.
 */
const POOL = 'eu-west-1_AbCdEf123';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const HOST = 'acme-login.auth.eu-west-1.amazoncognito.com';
const expected: DiscoveryExpectation = {
  userPoolId: POOL,
  region: 'eu-west-1',
  issuer: ISSUER,
  discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
  domainHost: HOST,
  domainKind: 'prefix',
};
const doc = (extra: Record<string, unknown> = {}) => ({
  issuer: ISSUER,
  authorization_endpoint: `https://${HOST}/oauth2/authorize`,
  token_endpoint: `https://${HOST}/oauth2/token`,
  end_session_endpoint: `https://${HOST}/logout`,
  jwks_uri: `${ISSUER}/.well-known/jwks.json`,
  response_types_supported: ['code', 'token'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  scopes_supported: ['openid', 'email', 'phone', 'profile'],
  ...extra,
});
const answer = (status: number, body: unknown, type = 'application/json'): Answer => ({
  status,
  headers: { 'content-type': type },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Config files that break one rule each: the offline templates. */
const CONFIGS: string[] = [
  'version: 1\ncreatio: [',
  'version: 1\n',
  EXAMPLE_YAML.replace('url: https://acme.creatio.com', 'url: ""'),
  EXAMPLE_YAML.replace('url: https://acme.creatio.com', 'url: "ftp://acme"'),
  EXAMPLE_YAML.replace('url: https://acme.creatio.com', 'url: http://acme.creatio.com'),
  EXAMPLE_YAML.replace('url: https://acme.creatio.com', 'url: acme.creatio.com/0/Shell/'),
  EXAMPLE_YAML.replace('url: https://acme.creatio.com', 'url: https://xn--bcher-kva.example'),
  EXAMPLE_YAML.replace(`userPoolId: ${POOL}`, 'userPoolId: "not a pool"'),
  EXAMPLE_YAML.replace(`userPoolId: ${POOL}`, 'userPoolId: eu-west-1_abc'),
  EXAMPLE_YAML.replace('region: eu-west-1 ', 'region: mars-1 '),
  EXAMPLE_YAML.replace('region: eu-west-1 ', 'region: xx-nowhere-9 '),
  EXAMPLE_YAML.replace('region: eu-west-1 ', 'region: us-east-1 '),
  EXAMPLE_YAML.replace('domain: acme-login', 'domain: "bad domain!"'),
  EXAMPLE_YAML.replace('domain: acme-login', 'domain: my-aws-login'),
  EXAMPLE_YAML.replace('domain: acme-login', `domain: ${POOL}`),
  EXAMPLE_YAML.replace('clientId: 1h57kf5cpq17m0eml12eqe3alr', 'clientId: "bad id!"'),
  EXAMPLE_YAML.replace('clientId: 1h57kf5cpq17m0eml12eqe3alr', 'clientId: ShortClientId'),
  EXAMPLE_YAML.replace('${env:COGNITO_CLIENT_SECRET}', 'too-short'),
  EXAMPLE_YAML.replace('${env:COGNITO_CLIENT_SECRET}', TEST_SECRET),
  EXAMPLE_YAML.replace('${env:COGNITO_CLIENT_SECRET}', '${env:GITHUB_TOKEN}'),
  EXAMPLE_YAML.replace('${env:COGNITO_CLIENT_SECRET}', `\${env:${TEST_SECRET}}`),
  EXAMPLE_YAML.replace('phone_number: Contact:MobilePhone', 'phone_number: Account:Phone'),
  EXAMPLE_YAML.replace('displayName: Cognito AWS', 'displayName: Cognito AWS\n  code: "bad code!"'),
];

/** Discovery and JWKS answers that break one rule each: the online templates. */
const ANSWERS: Answer[] = [
  answer(404, { message: `User pool ${POOL} does not exist.` }),
  answer(500, 'Internal error', 'text/plain'),
  answer(403, 'Forbidden', 'text/plain'),
  answer(200, '<html>hello</html>', 'text/html'),
  answer(200, doc({ token_endpoint: undefined, jwks_uri: undefined })),
  answer(200, doc({ issuer: 'https://elsewhere.example' })),
  answer(200, doc({ authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token` })),
  answer(
    200,
    doc({ authorization_endpoint: 'https://auth.acme.com/oauth2/authorize', token_endpoint: 'https://auth.acme.com/oauth2/token' }),
  ),
  answer(200, doc({ scopes_supported: ['openid'] })),
  answer(200, doc({ response_types_supported: ['token'] })),
  answer(200, doc({ end_session_endpoint: undefined })),
  answer(200, doc({ token_endpoint: `http://${HOST}/oauth2/token` })),
];

function catalogue(): [code: string, message: string][] {
  const found: Finding[] = [];
  for (const text of CONFIGS) found.push(...validateConfigText(text).findings);
  for (const a of ANSWERS) found.push(...judgeDiscoveryAnswer(a, expected).findings);
  // Empty answers (a wizard prompt, an empty flag) are said to be empty.
  for (const empty of [checkCreatioUrl(''), checkUserPoolId(' '), checkDomain('', 'eu-west-1', POOL), checkClientId('')])
    found.push(...empty.findings);
  for (const jwks of [
    'not json',
    { keys: [] },
    { keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'k', n: 'x', e: 'AQAB', d: 'secret' }] },
  ])
    found.push(...judgeJwks(jwks, `${ISSUER}/.well-known/jwks.json`));
  found.push(clientIdMissing());
  found.push(finding('output/exists', '', refusal(['creatio-sso.yaml', 'creatio-sso/SETUP.md'], '--out-dir').message));
  found.push(
    overrideFinding({
      key: 'cognito.domain',
      file: 'creatio-sso.yaml',
      source: { kind: 'flag', flag: '--domain' },
      values: { given: 'acme-new', inFile: 'acme-login' },
    }),
  );
  return found.map((f) => [f.code, f.message]);
}

describe('every message template', () => {
  const list = catalogue();
  if (process.env.PRINT_MESSAGES) console.log(list.map(([code, m]) => `${code}\n  ${m}`).join('\n'));

  it('covers every offline code and the discovery and JWKS codes', () => {
    const codes = new Set(list.map(([c]) => c));
    const wanted = Object.entries(FINDING_CODES)
      .filter(([code, info]) => info.stage === 'offline' && !['client-secret/unresolved', 'trust/unpinned-host'].includes(code))
      .map(([code]) => code);
    for (const code of wanted) expect(codes, code).toContain(code);
    for (const code of ['discovery/pool-not-found', 'discovery/http-error', 'discovery/invalid', 'discovery/no-hosted-ui-domain'])
      expect(codes, code).toContain(code);
  });

  it.each(list.map(([code, message], i) => [`${i} ${code}`, message]))('%s reads well', (_code, message) => {
    expect(message.length).toBeLessThanOrEqual(500);
    expect(message).not.toMatch(/\.\.(?!\.)/);
    expect(message).toMatch(/[.!?]$/);
    // No parenthesis that repeats the words just before it ("X (X (…))").
    expect(message).not.toMatch(/\(([^()]*\()/);
    expect(message).not.toMatch(/\b(\w+(?: \w+){2,}) \(\1/);
  });

  it('say the advice of a missing domain once', () => {
    const [, m] = list.find(([c]) => c === 'discovery/no-hosted-ui-domain')!;
    expect(m.match(/Add one|add a domain/gi)).toHaveLength(1);
  });

  it('say an empty answer is empty instead of quoting ""', () => {
    const empties = list.filter(([, m]) => m.includes(' is empty: '));
    expect(empties.map(([c]) => c)).toEqual(['creatio-url/invalid', 'user-pool-id/invalid', 'domain/invalid', 'client-id/invalid']);
    for (const [, m] of empties) expect(m).not.toContain('""');
  });
});

describe('message helpers', () => {
  it.each([
    ['The domain is wrong.', '--domain', 'The domain is wrong (from --domain).'],
    ['No period', 'CREATIO_SSO_DOMAIN', 'No period (from CREATIO_SSO_DOMAIN).'],
    ['Write url: https://acme.creatio.com.', '--creatio-url', 'Write url: https://acme.creatio.com (from --creatio-url).'],
  ])('withSource(%j, %s)', (message, from, out) => expect(withSource(message, from)).toBe(out));

  it('a lookup that reached Cognito says what it answered; one that did not says so, without advice above a question', () => {
    const net =
      'Cannot fetch the discovery document: the connection was refused. Check the network and proxy settings (HTTPS_PROXY), then run again.';
    expect(lookupTrouble({ message: net })).toBe(
      'Could not reach Cognito to look up the pool: Cannot fetch the discovery document: the connection was refused.',
    );
    expect(lookupTrouble({ message: 'The discovery document answered HTTP 500.', answered: true })).toBe(
      "Cognito answered the lookup, but not with the pool's discovery document: The discovery document answered HTTP 500.",
    );
    expect(whatHappened(net)).not.toContain('run again');
  });

  it('an unset variable named by --client-secret-env is named once', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = await runCli(
        [
          'init',
          '--non-interactive',
          '--offline',
          '--creatio-url',
          'https://acme.creatio.com',
          '--user-pool-id',
          POOL,
          '--domain',
          'acme-login',
          '--client-id',
          '1h57kf5cpq17m0eml12eqe3alr',
          '--client-secret-env',
          'NOPE',
        ],
        { cwd: dir },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'The environment variable NOPE named by --client-secret-env is not set: export NOPE with the app client secret',
      );
      expect(r.stderr).not.toMatch(/NOPE \(the environment variable NOPE/);
    } finally {
      cleanup();
    }
  });

  it('generate names the flag a bad value came from, inside the sentence', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
      const r = await runCli(['generate', '--offline', '--dry-run', '--client-id', 'bad id!'], { cwd: dir });
      expect(r.stderr).toMatch(/\(from --client-id\)\.\n/);
    } finally {
      cleanup();
    }
  });
});
