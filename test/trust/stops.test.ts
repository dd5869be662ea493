import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { startFakeCreatio, type FakeCreatio, onSiteConfig } from '../support/fake-creatio.js';

/**
 * §10 "A stop says what is true": once apply has sent a change to a live side, a stop never says "nothing
 * was written". The case the review found: the Creatio half had sent PostSysSettingsValues (the last
 * change) and was reading the site again when SIGTERM came; the run said "nothing was written".
 */
const PASSWORD = 'Supervisor!1-not-a-real-one';
let dir: string;
let cleanup: () => void;
const closers: Array<() => Promise<void>> = [];
beforeEach(() => ({ dir, cleanup } = tempDir('creatio-sso-stops-')));
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  cleanup();
});

/**
 * The site behind a forwarder that, once `after` has been answered, holds every later request and calls
 * `then` (the test's stop signal): the stop lands right after that change was sent and confirmed.
 */
async function holdAfter(site: FakeCreatio, after: RegExp, then: () => void): Promise<string> {
  const target = new URL(site.url);
  let holding = false;
  const server: Server = createServer((req, res) => {
    if (holding) return; // never answered: the run is stopped while it waits
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            if (after.test(req.url ?? '')) {
              holding = true;
              setTimeout(then, 50);
            }
          });
        },
      );
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('apply stopped after its last Creatio change', () => {
  it('SIGTERM while the site is read again after PostSysSettingsValues: exit 143, it lists what was sent and never says nothing was written', async () => {
    const site = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
    closers.push(() => site.close());
    const signals = new EventEmitter();
    const url = await holdAfter(site, /PostSysSettingsValues/, () => signals.emit('SIGTERM'));
    writeFileSync(
      path.join(dir, 'creatio-sso.yaml'),
      onSiteConfig(
        url,
        `mobile:
  useSso: true
`,
      ),
    );
    const r = await runCli(['apply', '--yes', '--skip', 'hosted-ui,cognito'], {
      cwd: dir,
      env: {
        COGNITO_CLIENT_SECRET: TEST_SECRET,
        CREATIO_SSO_CREATIO_URL: url,
        CREATIO_SSO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
        CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
        CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
      },
      signals,
    });
    // The change really reached the site before the stop.
    expect(site.sysSettings.MobileUseSSO).toBe(true);
    expect(r.code).toBe(143);
    expect(r.stderr.toLowerCase()).not.toContain('nothing was written');
    expect(r.stderr.toLowerCase()).not.toContain('nothing was changed');
    expect(r.stderr).toMatch(/Sent: [^\n]*MobileUseSSO/);
    expect(r.stderr).toMatch(/Sent: [^\n]*SsoOpenIdProvider/);
    expect(r.stderr).toContain('stays');
    expect(r.stderr).toContain('creatio-sso plan');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
  });
});
