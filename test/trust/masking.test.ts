import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { encodedForms, maskSecrets, shown } from '../../src/core/text.js';
import type { Finding as CoreFinding } from '../../src/core/findings.js';
import { CreatioClient, CreatioFailure } from '../../src/creatio/client.js';
import { createOutput } from '../../src/io/output.js';
import { UsageError } from '../../src/cli/errors.js';
import { createHttpClient } from '../../src/net/http.js';
import { createReporter } from '../../src/report/findings.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLE_YAML, runCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { TLS_CERT, TLS_KEY } from '../support/fake-cognito.js';
import { startProxy, type TestProxy } from '../support/proxy.js';

/**
 * SPEC §10 "Masking": every form a secret travels in is masked — form-encoded too — before anything is
 * clipped, whatever the secret's length; proxy and override URLs never show their credentials, and a
 * value that does not parse is not echoed at all.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A secret whose form encoding differs from its URL encoding: `!`, space, `(`, `)`, `*`, `~`, `'`. */
const FORM_SECRET = "S3cr3t!Value (x)*~'Q9-longer-than-24";

/** Every run of 8 characters of every encoded form of `secret`: none may survive anywhere. */
function expectNoTrace(text: string, secret: string): void {
  for (const form of encodedForms(secret))
    for (let i = 0; i + 8 <= form.length; i++) expect(text, `a piece of ${form}`).not.toContain(form.slice(i, i + 8));
}

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream, text: () => text };
}

describe('form-encoded secrets (application/x-www-form-urlencoded)', () => {
  it('are among the encoded forms: + for a space, %21 for !', () => {
    const form = new URLSearchParams({ s: FORM_SECRET }).toString().slice(2);
    expect(form).toContain('%21');
    expect(form).toContain('+');
    expect(encodedForms(FORM_SECRET)).toContain(form);
    expect(maskSecrets(`client_secret=${form}&grant_type=client_credentials`, [FORM_SECRET])).toBe(
      'client_secret=********&grant_type=client_credentials',
    );
  });

  it('an identity server (HTTPS, its own CA, through the forwarding proxy) that echoes the request body shows no piece of the secret', async () => {
    const message = await echoedSignIn(FORM_SECRET);
    expect(message).toMatch(/client_secret=\*\*\*&|client_secret=\*/);
    expectNoTrace(message, FORM_SECRET);
  });
});

/**
 * The attacker's host: a token endpoint on 127.0.0.1 over HTTPS (the test CA), reached through the real
 * forwarding proxy, that quotes the form it was sent in its error, as careless error messages do. Returns
 * the message of the sign-in failure the Creatio client reports.
 */
async function echoedSignIn(clientSecret: string, padding = 40): Promise<string> {
  const server: Server = createServer({ cert: TLS_CERT, key: TLS_KEY }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `invalid_client: cannot check ${body} ${'padding '.repeat(padding)}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxy: TestProxy = await startProxy();
  cleanups.push(() => proxy.close());
  const http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', HTTPS_PROXY: proxy.url }, timeoutMs: 5000, ca: TLS_CERT });
  cleanups.push(() => http.close());
  const client = new CreatioClient({ http, site: url, auth: { kind: 'oauth', clientId: 'tool-client', clientSecret, identityUrl: url } });
  const failure = (await client.signIn().catch((e: unknown) => e)) as CreatioFailure;
  expect(failure).toBeInstanceOf(CreatioFailure);
  expect(proxy.connects()).toBeGreaterThan(0);
  return failure.finding.message;
}

describe('masking runs before clipping', () => {
  const finding = (message: string): CoreFinding => ({ code: 'creatio/api-unexpected', severity: 'error', message, path: '' });
  // The secret sits where a 500-character clip cuts: masked after the cut, its first half would survive.
  const around = (secret: string) => `Creatio answered ${'x'.repeat(230)}${secret}${'y'.repeat(330)}. Check the site.`;

  it.each(['text', 'github', 'json'] as const)('%s: a message cut in the middle of a secret shows no piece of it', (format) => {
    const out = capture();
    const o = createOutput({ color: false, verbose: false, stdout: out.stream, stderr: new PassThrough(), env: {} });
    o.addSecret(TEST_SECRET);
    const reporter = createReporter(format, { color: o.color, strict: false, write: (t) => o.out(t), redact: o.redact });
    reporter.add({ file: 'creatio-sso.yaml', findings: [finding(around(TEST_SECRET))] });
    reporter.end();
    expectNoTrace(out.text(), TEST_SECRET);
    expect(out.text()).toContain('********');
  });
});

describe('a credential of any length', () => {
  it('a 3-character password is masked where it stands as a whole token, not inside words', () => {
    const out = capture();
    const o = createOutput({ color: false, verbose: false, stdout: out.stream, stderr: new PassThrough(), env: {} });
    o.addSecret('Zq9', { anyLength: true });
    o.out(shown`password "Zq9" refused (UserPassword=Zq9); Zq9x and aZq9 are other words\n`);
    expect(out.text()).toBe('password "********" refused (UserPassword=********); Zq9x and aZq9 are other words\n');
  });

  it('an identity server echoing a 3-character OAuth secret: masked as the whole token it is', async () => {
    const message = await echoedSignIn('Zq9', 0);
    expect(message).toContain('client_secret=***');
    expect(message).not.toMatch(/\bZq9\b/);
  });
});

describe('proxy and override URLs (§10)', () => {
  it('a password holding "/" is masked: everything between :// and the last @', () => {
    expect(maskSecrets('through http://bob:s3cr3t/pa55@proxy:3128 failed', [])).toBe('through http://***@proxy:3128 failed');
    expect(maskSecrets('https://u:p@host/path?mail=a@b', [])).toBe('https://***@host/path?mail=a@b');
    expect(maskSecrets('see https://host/path?mail=a@b', [])).toBe('see https://host/path?mail=a@b');
  });

  it.each([
    ['a password holding "/"', 'http://bob:s3cr3t/pa55@proxy:3128', 's3cr3t'],
    ['no scheme', 'bob:Zq9p@host:9', 'Zq9p'],
    ['another scheme', 'socks5://bob:Zq9p@host:9', 'Zq9p'],
  ])('a proxy variable that is not an http(s) URL (%s) is refused naming the variable, never its value', (_name, value, secret) => {
    for (const name of ['HTTPS_PROXY', 'HTTP_PROXY']) {
      let error: unknown;
      try {
        createHttpClient({ env: { CREATIO_SSO_TEST: '1', [name]: value }, timeoutMs: 1000 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      const message = (error as Error).message;
      expect(message).toContain(name);
      expect(message).toContain('http://proxy.example.com:3128');
      expect(message).not.toContain(secret);
      expect(message).not.toContain('bob');
    }
  });

  it('end to end: the usage errors (exit 2) show neither the user nor the password', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
    const run = (env: Record<string, string>) => runCli(['doctor'], { cwd: dir, env: { COGNITO_CLIENT_SECRET: TEST_SECRET, ...env } });

    const proxy = await run({ HTTPS_PROXY: 'bob:Zq9pass@host:9' });
    expect(proxy.code).toBe(2);
    expect(proxy.stderr).toContain('HTTPS_PROXY');
    const bare = await run({ CREATIO_SSO_HOSTED_UI_URL: 'bob:Zq9pass@host:9' });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('CREATIO_SSO_HOSTED_UI_URL');
    const slash = await run({ CREATIO_SSO_HOSTED_UI_URL: 'https://bob:Zq9/pass@host:9' });
    expect(slash.code).toBe(2);
    for (const r of [proxy, bare, slash]) expect(r.stdout + r.stderr).not.toMatch(/bob|Zq9|pass@/);
  });
});
