import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { nodeWriterFs, type WriterFs } from '../../src/io/files.js';
import { runCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { startFakeCreatio, onSiteConfig } from '../support/fake-creatio.js';
import { startMoto, type Moto, motoAdmin } from '../support/moto.js';
import { startProxy } from '../support/proxy.js';

/**
 * The finished CLI attacked as a hostile pull request and a hostile server would (SPEC §10,
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
    yaml(
      onSiteConfig(
        f.url,
        `provider:
  displayName: Cognito AWS
`,
        { userPoolId: POOL, clientId: CLIENT },
      ),
    ),
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
      // No AWS here: plan and apply leave the Cognito half out explicitly (§13).
      const skip = cmd[0] === 'doctor' ? [] : ['--skip', 'cognito'];
      const r = await runCli([...cmd, ...skip, '--verbose'], { cwd: dir, env: { ...env, HTTP_PROXY: proxy.url } });
      expect(proxy.passages).toEqual([]);
      expect(f.requests).toEqual([]);
      expect(r.stderr + r.stdout).not.toContain('Unexpected error');
      expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /); // no stack
      expect(r.stdout + r.stderr).toContain('add 127.0.0.1 to NO_PROXY');
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
      if (cmd[0] === 'plan') expect(r.stdout).toContain('Nothing was compared: the Creatio half stopped');
    },
  );
});

describe('a signal while apply --create-client writes the config and the record (§10: writes are all or nothing)', () => {
  let moto: Moto;
  beforeAll(async () => void (moto = await startMoto()));
  afterAll(async () => moto?.stop());

  it('SIGTERM between the config and the record: exit 143, the config as it was, no record, no temporary, and where the new client is', async () => {
    const admin = motoAdmin(moto, 'eu-west-1');
    const pool = await admin.send(new sdk.CreateUserPoolCommand({ PoolName: 'acme' }));
    const userPoolId = pool.UserPool!.Id!;
    await admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: 'acme-login' }));
    const config = `# the team's set-up
version: 1
creatio:
  url: https://acme.creatio.com
  deployment: cloud
cognito:
  userPoolId: ${userPoolId}
  domain: acme-login
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
`;
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), config);
    const signals = new EventEmitter();
    let links = 0;
    // The writer keeps the old config aside (a hard link) before the new one takes its name, then places the record:
    // the signal comes at the second link, when the new config is in place and the record is not.
    const fs: WriterFs = {
      ...nodeWriterFs,
      link: async (from, to) => {
        if (++links === 2) signals.emit('SIGTERM');
        return nodeWriterFs.link(from, to);
      },
    };
    let err = '';
    let out = '';
    const sink = (add: (s: string) => void) =>
      Object.assign(new Writable({ write: (c, _e, cb) => (add(String(c)), cb()) }), { isTTY: false });
    const code = await main({
      argv: ['node', 'creatio-sso', 'apply', '--create-client', '--yes', '--skip', 'creatio'],
      env: { ...moto.env, COGNITO_CLIENT_SECRET: TEST_SECRET, CREATIO_SSO_TEST: '1' },
      cwd: dir,
      stdin: Object.assign(new PassThrough().end(), { isTTY: false }),
      stdout: sink((s) => (out += s)),
      stderr: sink((s) => (err += s)),
      signals,
      fs,
    });
    expect(links).toBeGreaterThanOrEqual(2); // the signal really came mid-write
    expect(code).toBe(143);
    expect(readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8')).toBe(config);
    const left = readdirSync(dir, { recursive: true }).map(String);
    expect(left.filter((f) => f !== 'creatio-sso.yaml' && f !== 'creatio-sso')).toEqual([]);
    const clients = await admin.send(new sdk.ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 10 }));
    const created = clients.UserPoolClients?.[0]?.ClientId;
    expect(created).toBeDefined();
    // The client exists in Cognito but no file names it: the message must say which one, so it can be found again.
    expect(err).toContain(created!);
    expect(out + err).not.toContain(TEST_SECRET);
    admin.destroy();
  });
});
