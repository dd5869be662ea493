import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, TEST_SECRET, tempDir } from './support/cli.js';
import { startFakeCreatio } from './support/fake-creatio.js';
import { startProxy } from './support/proxy.js';

/**
 * Issue #11: the finished CLI attacked as a hostile pull request and a hostile server would (SPEC §10,
 * §8, §3). Each test here is an attack that once succeeded; the fix keeps it from succeeding again.
 */
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
const POOL = 'eu-west-1_AbCdEf123';
const PASSWORD = 'Supervisor!1-not-a-real-one';
/** Clear screen, retitle the window, bell, CR, CSI (C1), DEL and a line separator. */
const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007\r\u009b31m\u007f\u2028forged';
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
/** A custom secret with `+`: its URL-encoded form differs from it. */
const PLUS_SECRET = 'Ab3+cD4+eF5+gH6+iJ7+kL8+mN9+oP0+qR1+sT2+uV3+wX4+yZ5a';

let dir: string;
let cleanup: () => void;
const open: Array<{ close(): Promise<void> }> = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
  cleanup();
});

describe('usage errors quote the command line (§10: arguments never reach the terminal raw)', () => {
  it.each<[string, string[]]>([
    ['an unknown option', ['doctor', `--x${HOSTILE}`]],
    ['an unknown command', [`cmd${HOSTILE}`]],
    ['a --format choice', ['doctor', '--format', `j${HOSTILE}`]],
    ['a --timeout value', ['doctor', '--timeout', `1${HOSTILE}`]],
    ['a --skip list', ['doctor', '--skip', `x${HOSTILE}`]],
  ])('%s: exit 2, control characters shown as escapes', async (_, args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\\u001b[2J');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });

  it.each<[string, string[]]>([
    ['--client-secret=<secret> (no such flag)', ['doctor', `--client-secret=${TEST_SECRET}`]],
    ['the secret as a command', [TEST_SECRET]],
    ['the secret as --format', ['validate', '--format', PLUS_SECRET]],
  ])('a secret pasted on the command line is not echoed: %s', async (_, args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    for (const secret of [TEST_SECRET, PLUS_SECRET]) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stderr).toContain('***');
  });
});

/** A Creatio site on a loopback http URL, pinned by the environment, and the config naming it. */
async function creatioSite(yaml = (s: string) => s) {
  const f = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
  open.push(f);
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    yaml(`version: 1
creatio:
  url: ${f.url}
  deployment: on-site
cognito:
  userPoolId: ${POOL}
  domain: acme-login
  clientId: ${CLIENT}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
provider:
  displayName: Cognito AWS
`),
  );
  const env = {
    COGNITO_CLIENT_SECRET: TEST_SECRET,
    CREATIO_SSO_CREATIO_URL: f.url,
    CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
    CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
  };
  return { f, env };
}

describe('Creatio over http behind HTTP_PROXY (§10: never in cleartext through a proxy)', () => {
  it.each([['plan'], ['apply', '--yes'], ['doctor']])(
    '%s: nothing passes the proxy, and the refusal is a finding with exit 3, not "Unexpected error"',
    async (...cmd) => {
      const { f, env } = await creatioSite();
      const proxy = await startProxy();
      open.push(proxy);
      const r = await runCli([...cmd, '--verbose'], { cwd: dir, env: { ...env, HTTP_PROXY: proxy.url } });
      expect(proxy.passages).toEqual([]);
      expect(f.requests).toEqual([]);
      expect(r.stderr + r.stdout).not.toContain('Unexpected error');
      expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /); // no stack
      expect(r.stdout + r.stderr).toContain('add 127.0.0.1 to NO_PROXY');
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
      if (cmd[0] === 'plan') expect(r.stderr).toContain('Nothing was compared: the Creatio half stopped');
    },
  );
});
