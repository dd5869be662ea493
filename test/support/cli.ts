import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SignalSource } from '../../src/cli/run.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'creatio-sso.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a clean environment (no CI, no colour, no AWS, no proxy from the outside). */
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /**
   * runCli only: stdout and stderr say they are terminals (isTTY), for colour decisions. Not for
   * commands that show a spinner (it draws on the process's stderr): use a pty for those.
   */
  tty?: boolean;
  /**
   * runCli only: the width stdout and stderr report (`columns`), which prose wraps at. Default: wide enough
   * that no message wraps, so tests assert on what a message says; the wrapping has tests of its own.
   */
  columns?: number;
  /** Where stop signals come from (an EventEmitter the test emits SIGTERM on); default: this process. */
  signals?: SignalSource;
  /**
   * runCli only: whose main() runs: the sources (default) or the built bundle's (dist/bundle/, with its
   * bundled libraries: the slim undici, zod …), for tests that hold the bundle to the sources without a process.
   */
  build?: 'sources' | 'bundle';
}

type Main = (typeof import('../../src/cli/run.js'))['main'];

/** main() of the built bundle: its entry, dist/bundle/creatio-sso.cjs (scripts/bundle.mjs), exports it. */
async function bundleMain(): Promise<Main> {
  const entry = path.join(ROOT, 'dist', 'bundle', 'creatio-sso.cjs');
  if (!existsSync(entry)) throw new Error(`${entry} is missing (npm run build)`);
  return ((await import(pathToFileURL(entry).href)) as { main: Main }).main;
}

/** A clean environment: what the CLI sees is only what a test gives it. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  // CREATIO_SSO_TEST=1: the HTTP layer refuses any host but loopback, so no test can reach the network.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', CREATIO_SSO_TEST: '1' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/**
 * Run the CLI in this process through `main(io)` (src/cli/run.ts), as `spawnCli` would run it in a child:
 * same arguments, a clean environment with only what the test gives, `cwd`, a piped stdin holding `input`,
 * and stdout/stderr that are not terminals. Every end-to-end test that does not need a process uses this:
 * it costs milliseconds where a spawn costs a Node start-up.
 */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const main = options.build === 'bundle' ? await bundleMain() : (await import('../../src/cli/run.js')).main;
  const stdout = new Collector(options.tty ?? false, options.columns ?? WIDE);
  const stderr = new Collector(options.tty ?? false, options.columns ?? WIDE);
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(options.input ?? '');
  const run = main({
    argv: [process.execPath, BIN, ...args],
    env: cleanEnv(options.env),
    cwd: options.cwd ?? ROOT,
    stdin,
    stdout,
    stderr,
    ...(options.signals ? { signals: options.signals } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  // Like spawnCli's SIGKILL: a run that never ends gives code null (the test then fails on it).
  const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), options.timeoutMs ?? 20_000)));
  try {
    const code = await Promise.race([run, timedOut]);
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    clearTimeout(timer);
  }
}

/** An in-memory stdout/stderr: not a terminal, everything written kept as text. */
const WIDE = 10_000;
class Collector extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns: number,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

/**
 * Spawn the real built CLI (bin/creatio-sso.js) as a user would (`npm run build` first). Only for what
 * only a process shows: the bin's prebuilt --help/--version, EPIPE, the real exit code, signals.
 */
export function spawnCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary folder per test, removed by the returned cleanup. */
export function tempDir(prefix = 'creatio-sso-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The §4 example, the reference config of the tests. */
export const EXAMPLE_YAML = `# yaml-language-server: $schema=https://unpkg.com/creatio-sso/schema/creatio-sso.schema.json
version: 1
creatio:
  url: https://acme.creatio.com        # site root
  deployment: cloud                    # cloud | on-site
cognito:
  userPoolId: eu-west-1_AbCdEf123
  region: eu-west-1                    # optional, derived from userPoolId
  domain: acme-login                   # prefix, or a custom host such as auth.acme.com
  clientId: 1h57kf5cpq17m0eml12eqe3alr
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
provider:
  displayName: Cognito AWS
  isDefault: false
jit:
  employees: true
  externalUsers: false
  claims:                              # OpenIdFieldNameMap rows
    phone_number: Contact:MobilePhone
mobile:
  useSso: false
`;

/** A secret shaped as Cognito generates them (52 characters). Not a real one. */
export const TEST_SECRET = 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w';
