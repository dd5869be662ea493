import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, STOP_GRACE_MS } from '../../src/cli/run.js';
import { stoppedBy } from '../../src/cli/errors.js';
import { nodeWriterFs, type WriterFs } from '../../src/io/files.js';
import { createOutput } from '../../src/io/output.js';
import { terminalPrompts } from '../../src/wizard/prompts.js';
import { BIN, cleanEnv, EXAMPLE_YAML, ROOT, runCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { startFakeCognito, type FakeCognito } from '../support/fake-cognito.js';

/**
 * Stopping a run (§3 exit codes 130, 143, 129; §10 "Writes are all or nothing"): whatever was being
 * written is rolled back, no temporary is left, the files that were there before are there after.
 * In-process through main(io) with an EventEmitter as the signal source; with real signals sent to
 * the built CLI where only a process shows it (the process's own handlers, exit codes, stdout).
 */
const POOL = 'eu-west-1_AbCdEf123';
const SECRET_ENV = { COGNITO_CLIENT_SECRET: TEST_SECRET };

/** A config with five errors (each a finding with a long message in the JSON report). */
const BROKEN = 'version: 2\ncreatio: {url: 5}\ncognito: {userPoolId: x, domain: "https://a b", clientId: 1, clientSecret: plain}\n';
let dir: string;
let cleanup: () => void;
let fake: FakeCognito | undefined;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  cleanup();
});

/** Every entry under `dir`, temporaries (dot files) included. */
const entries = () => readdirSync(dir, { recursive: true }).map(String).sort();
const read = (p: string) => readFileSync(path.join(dir, p), 'utf8');

/** The artifacts as an earlier run left them, to see that a stopped run puts them back. */
const OLD = { 'creatio-sso/creatio-sso-record.json': 'old record\n', 'creatio-sso/cognito-app-client.json': 'old app client\n' };
function earlierRun(): void {
  mkdirSync(path.join(dir, 'creatio-sso'), { mode: 0o700 });
  for (const [f, content] of Object.entries(OLD)) writeFileSync(path.join(dir, f), content, { mode: 0o600 });
}
const AFTER_EARLIER_RUN = ['creatio-sso', ...Object.keys(OLD), 'creatio-sso.yaml'].sort();

function capture() {
  let text = '';
  return { stream: Object.assign(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), { isTTY: false }), text: () => text };
}

/** main() in this process; `signals` stands in for the process. */
function inProcess(
  args: string[],
  o: { env?: NodeJS.ProcessEnv; fs?: WriterFs; stdin?: PassThrough; signals?: EventEmitter; stopGraceMs?: number } = {},
) {
  const signals = o.signals ?? new EventEmitter();
  const out = capture();
  const err = capture();
  const done = main({
    argv: ['node', 'creatio-sso', ...args],
    env: { CREATIO_SSO_TEST: '1', ...SECRET_ENV, ...o.env },
    cwd: dir,
    stdin: Object.assign(o.stdin ?? new PassThrough().end(), { isTTY: false }),
    stdout: out.stream,
    stderr: err.stream,
    signals,
    fs: o.fs,
    ...(o.stopGraceMs !== undefined && { stopGraceMs: o.stopGraceMs }),
  });
  return { done, signals, stdout: out.text, stderr: err.text };
}

/** node:fs/promises whose n-th hard link first waits for `before` (a test sends its signal there). */
function pauseAtLink(nth: number, before: () => Promise<void>): WriterFs {
  let links = 0;
  return {
    ...nodeWriterFs,
    link: async (from, to) => {
      if (++links === nth) await before();
      return nodeWriterFs.link(from, to);
    },
  };
}

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

describe('stopping a run in-process (main with an injected signal source)', () => {
  it('SIGTERM while generate --force replaces the files: exit 143, the earlier files restored, no temporary left', async () => {
    earlierRun();
    const signals = new EventEmitter();
    // With --force the old file is kept aside as a hard link before the new one takes its name. Link 1:
    // the old record; link 2: the old app client, after the new record is in place. SIGTERM comes then.
    const fs = pauseAtLink(2, async () => void signals.emit('SIGTERM'));
    const run = inProcess(['generate', '--offline', '--force'], { fs, signals });
    expect(await run.done).toBe(143);
    expect(run.stderr()).toBe('Stopped by SIGTERM: nothing was written.\n');
    expect(run.stdout()).toBe('');
    expect(entries()).toEqual(AFTER_EARLIER_RUN);
    for (const [f, content] of Object.entries(OLD)) expect(read(f)).toBe(content);
    // main() removed its handlers: tests call it hundreds of times in one process.
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(run.signals.listenerCount(s)).toBe(0);
  });

  it('SIGHUP during the live lookup of init: exit 129, nothing written', async () => {
    fake = await startFakeCognito({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'hang' } } });
    const run = inProcess(
      [
        'init',
        '--non-interactive',
        '--creatio-url',
        'https://acme.creatio.com',
        '--user-pool-id',
        POOL,
        '--domain',
        'acme-login',
        '--client-id',
        '1h57kf5cpq17m0eml12eqe3alr',
        '--config',
        'new.yaml',
      ],
      { env: { CREATIO_SSO_COGNITO_IDP_URL: fake.url, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET } },
    );
    await until(() => fake!.requests.length > 0, 'the discovery request');
    const started = Date.now();
    run.signals.emit('SIGHUP');
    expect(await run.done).toBe(129);
    // The request was aborted, not waited out (--timeout is 10 s).
    expect(Date.now() - started).toBeLessThan(1000);
    expect(run.stderr()).toContain('Stopped by SIGHUP (the terminal went away): nothing was written.');
    expect(entries()).toEqual(['creatio-sso.yaml']);
  });

  it('SIGINT while a command waits on something that does not listen (stdin) ends the run after a short grace: exit 130', async () => {
    // The grace shortened for the test (the built CLI waits STOP_GRACE_MS: test/cli/built-cli.test.ts).
    const grace = 300;
    expect(grace).toBeLessThan(STOP_GRACE_MS);
    const stdin = new PassThrough();
    const run = inProcess(['generate', '--offline', '--client-secret-stdin'], { stdin, stopGraceMs: grace });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    run.signals.emit('SIGINT');
    expect(await run.done).toBe(130);
    // Waited the grace (a timer may fire a millisecond early), and not the default one.
    expect(Date.now() - started).toBeGreaterThanOrEqual(grace - 5);
    expect(Date.now() - started).toBeLessThan(STOP_GRACE_MS);
    expect(run.stderr()).toBe('Cancelled: nothing was written.\n');
    expect(entries()).toEqual(['creatio-sso.yaml']);
    stdin.end();
  });

  it('a signal after the files are in place does not undo them, and says so', async () => {
    const signals = new EventEmitter();
    // Once every file is in place the writer opens each folder to fsync it: the signal comes then.
    const fs: WriterFs = {
      ...nodeWriterFs,
      open: async (p, flags, mode) => {
        if (p === path.join(dir, 'creatio-sso')) signals.emit('SIGINT');
        return nodeWriterFs.open(p, flags, mode);
      },
    };
    const run = inProcess(['generate', '--offline'], { fs, signals });
    expect(await run.done).toBe(130);
    expect(run.stdout()).toContain('wrote creatio-sso/creatio-sso-record.json');
    // A pipe: prose wraps at 80 columns.
    expect(run.stderr().replace(/\s+/g, ' ')).toContain(
      'Stopped (SIGINT) after the work was done: what is shown above is complete, nothing was undone.',
    );
    expect(read('creatio-sso/creatio-sso-record.json')).toContain(TEST_SECRET);
  });

  it('SIGTERM during a question ends the prompt as stopped (143), not as cancelled by Esc (130)', async () => {
    const stop = new AbortController();
    const screen = capture();
    const color = createOutput({ color: false, verbose: false, stdout: screen.stream, stderr: screen.stream, env: {} }).chalk;
    const prompts = terminalPrompts({ input: new PassThrough(), output: screen.stream, color, signal: stop.signal });
    const asked = prompts.text({ message: 'Creatio URL' });
    await until(() => screen.text().includes('Creatio URL'), 'the question');
    stop.abort(stoppedBy('SIGTERM'));
    await expect(asked).rejects.toMatchObject({ exitCode: 143, message: 'Stopped by SIGTERM: nothing was written.' });
  });

  it('leaves no listener on the process after many runs', async () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    for (let i = 0; i < 20; i++) {
      const code = await main({
        argv: ['node', 'creatio-sso', 'urls', '--user-pool-id', POOL, '--domain', 'acme-login'],
        env: {},
        cwd: dir,
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        stderr: new PassThrough(),
      });
      expect(code).toBe(0);
    }
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before);
  });
});

/**
 * The built CLI with a writer that pauses once, `WRITING` on stderr when it does, until a test sends a real
 * signal. Only the file system is wrapped; the signal handlers are the process's own.
 */
function spawnPausingWriter(args: string[], nthLink: number) {
  const cli = pathToFileURL(path.join(ROOT, 'dist/cli/run.js')).href;
  const script = `
    import { promises as fs } from 'node:fs';
    import { main } from ${JSON.stringify(cli)};
    let links = 0;
    const pausing = { ...fs, link: async (a, b) => {
      if (++links === ${nthLink}) {
        // Paused until the test's signal arrives (main's own handler, added first, has aborted the run by then).
        const alive = setInterval(() => {}, 1000);
        const signalled = new Promise((r) => { for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(s, () => setImmediate(r)); });
        process.stderr.write('WRITING\\n');
        await signalled;
        clearInterval(alive);
      }
      return fs.link(a, b);
    } };
    process.exitCode = await main({ argv: ['node', 'creatio-sso', ...process.argv.slice(1)], env: process.env, cwd: process.cwd(), stdin: process.stdin,
      stdout: process.stdout, stderr: process.stderr, fs: pausing });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', ...args], {
    cwd: dir,
    env: cleanEnv({ CREATIO_SSO_TEST: '1', ...SECRET_ENV }),
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('stopping the built CLI with real signals', () => {
  for (const [signal, code, message] of [
    ['SIGTERM', 143, 'Stopped by SIGTERM: nothing was written.'],
    ['SIGHUP', 129, 'Stopped by SIGHUP (the terminal went away): nothing was written.'],
    ['SIGINT', 130, 'Cancelled: nothing was written.'],
  ] as const) {
    it(`${signal} in the middle of writing: exit ${code}, the earlier files restored, no temporary left`, async () => {
      earlierRun();
      const run = spawnPausingWriter(['generate', '--offline', '--force'], 2);
      await until(() => run.stderr().includes('WRITING'), 'the writer');
      // By now the record has taken its name: the rollback must put the old one back.
      expect(read('creatio-sso/creatio-sso-record.json')).toContain(TEST_SECRET);
      run.child.kill(signal);
      expect(await run.exited).toBe(code);
      expect(run.stderr()).toBe(`WRITING\n${message}\n`);
      expect(entries()).toEqual(AFTER_EARLIER_RUN);
      for (const [f, content] of Object.entries(OLD)) expect(read(f)).toBe(content);
    });
  }

  it('SIGTERM while a live check waits for Cognito: exit 143 at once, nothing written', async () => {
    fake = await startFakeCognito({ pools: [{ userPoolId: POOL }], misbehave: { [POOL]: { discovery: 'hang' } } });
    const child = spawn(process.execPath, [BIN, 'generate'], {
      cwd: dir,
      env: cleanEnv({ CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: fake.url, ...SECRET_ENV }),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    await until(() => fake!.requests.length > 0, 'the discovery request');
    const stopped = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    // The request was aborted: neither --timeout (10 s) nor the grace for commands that do not listen was waited out.
    expect(Date.now() - stopped).toBeLessThan(STOP_GRACE_MS);
    expect(stderr).toBe('Stopped by SIGTERM: nothing was written.\n');
    expect(entries()).toEqual(['creatio-sso.yaml']);
  });

  it('SIGTERM while plan waits for the AWS API: exit 143 at once, the call aborted', async () => {
    // An AWS endpoint that takes the connection and never answers.
    const sockets = new Set<Socket>();
    const aws = createNetServer((s) => void sockets.add(s.on('error', () => {})));
    await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
    try {
      const child = spawn(process.execPath, [BIN, 'plan', '--format', 'json', '--skip', 'creatio'], {
        cwd: dir,
        env: cleanEnv({
          ...SECRET_ENV,
          CREATIO_SSO_TEST: '1',
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${(aws.address() as AddressInfo).port}`,
        }),
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      await until(() => sockets.size > 0, 'the DescribeUserPool call');
      const stopped = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      // The call was aborted: neither --timeout (10 s) nor, for the open connection, start()'s 2 s was waited out.
      expect(Date.now() - stopped).toBeLessThan(STOP_GRACE_MS);
    } finally {
      for (const s of sockets) s.destroy();
      aws.close();
    }
  });
});

describe('write failures of the built CLI', () => {
  it('a full stdout (/dev/full) is a message and exit 1, not a stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [BIN, 'urls', '--user-pool-id', POOL, '--domain', 'acme-login'], {
        cwd: dir,
        env: cleanEnv(),
        stdio: ['ignore', full, 'pipe'],
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      expect(stderr).toBe(
        '✖ Could not write the results to standard output: no space left on the device (ENOSPC). The output is incomplete.\n',
      );
    } finally {
      closeSync(full);
    }
  });

  it('waits for a reader that is slow to read: more than a pipe holds arrives whole', async () => {
    // ~95 KB of JSON (50 broken files, five errors each), more than a pipe holds (64 KiB): the CLI's last writes
    // wait for the reader, who starts reading after 0.8 s, when the CLI is done. Ending the process when main()
    // returns would cut the output at the pipe's size.
    const files = Array.from({ length: 50 }, (_, i) => `b${i}.yaml`);
    for (const f of files) writeFileSync(path.join(dir, f), BROKEN);
    const child = spawn(
      '/bin/sh',
      ['-c', `bin=$1; shift; "$0" "$bin" validate --format json "$@" | (sleep 0.8; cat > out.json)`, process.execPath, BIN, ...files],
      { cwd: dir, env: cleanEnv(), stdio: 'ignore' },
    );
    await new Promise((resolve) => child.on('close', resolve));
    const out = readFileSync(path.join(dir, 'out.json'), 'utf8');
    expect(out.length).toBeGreaterThan(65536);
    const doc = JSON.parse(out) as { summary: { files: number; errors: number }; files: { file: string }[] };
    expect(doc.summary).toMatchObject({ files: 50, errors: 250 });
    expect(doc.files.map((f) => f.file)).toEqual(files);
  });

  it("the bin's own answers (--help, --version) too: a full stdout is the same message and exit 1; a closed pipe is exit 0, quietly", async () => {
    const run = (args: string[], stdout: number | 'pipe') => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: cleanEnv(), stdio: ['ignore', stdout, 'pipe'] });
      // A reader that is gone before the first write: the write fails with EPIPE.
      child.stdout?.destroy();
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
    };
    const full = openSync('/dev/full', 'w');
    try {
      const forms = [['--help'], ['--version']];
      const [onFull, onClosed] = await Promise.all([
        Promise.all(forms.map((a) => run(a, full))),
        Promise.all(forms.map((a) => run(a, 'pipe'))),
      ]);
      for (const [i, args] of forms.entries()) {
        expect(onFull[i], args.join(' ')).toEqual({
          code: 1,
          stderr: '✖ Could not write the results to standard output: no space left on the device (ENOSPC). The output is incomplete.\n',
        });
        expect(onClosed[i], args.join(' ')).toEqual({ code: 0, stderr: '' });
      }
    } finally {
      closeSync(full);
    }
  });

  it('an out-dir that cannot be created (under /proc) fails at once with exit 1 instead of spinning', async () => {
    const started = Date.now();
    const r = await runCli(['generate', '--offline', '--out-dir', '/proc/creatio-sso-test/out'], {
      cwd: dir,
      env: SECRET_ENV,
      timeoutMs: 10_000,
    });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.stderr).toContain('Could not create the folder /proc/creatio-sso-test: this file system does not allow creating it (ENOENT).');
    expect(r.stderr).not.toContain('Unexpected error');
  });

  it('under umask 000 the record stays 0600 and the out-dir 0700', async () => {
    const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, BIN, 'generate', '--offline'], {
      cwd: dir,
      env: cleanEnv(SECRET_ENV),
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const mode = (p: string) => statSync(path.join(dir, p)).mode & 0o777;
    expect(mode('creatio-sso')).toBe(0o700);
    expect(mode('creatio-sso/creatio-sso-record.json')).toBe(0o600);
    expect(mode('creatio-sso/SETUP.md')).toBe(0o644);
  });
});
