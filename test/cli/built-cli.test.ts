import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, EXAMPLE_YAML, ROOT, TEST_SECRET, tempDir } from '../support/cli.js';

/**
 * Attacks on the built CLI (the bin and its bundle) that the rest of the suite does not make. Each runs a copy of the package where it must change files, never the build itself.
 */
const { dir, cleanup } = tempDir('creatio-sso-attack-');
afterAll(cleanup);
const config = path.join(dir, 'creatio-sso.yaml');
writeFileSync(config, EXAMPLE_YAML);

/** A copy of the built package (bin, dist, package.json) using this node_modules. */
function packageCopy(name: string): string {
  const root = path.join(dir, name);
  cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.ts') });
  cpSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

/**
 * Resolves once the process has settled into waiting: its CPU time (Linux: /proc/<pid>/stat) has not
 * moved for 300 ms, so its start-up is over (slower on a loaded machine); elsewhere after 1.5 s.
 */
async function settledIdle(pid: number): Promise<void> {
  let last = '';
  let still = 0;
  for (let waited = 0; waited < 20_000 && still < 3; waited += 100) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return new Promise((r) => setTimeout(r, 1500));
    }
    const cpu = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .slice(11, 13)
      .join(' ');
    still = cpu === last ? still + 1 : 0;
    last = cpu;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const run = (root: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(root, 'bin', 'creatio-sso.js'), ...args], {
    cwd: dir,
    env: cleanEnv({ COGNITO_CLIENT_SECRET: TEST_SECRET, ...env }),
    encoding: 'utf8',
    timeout: 20_000,
  });

describe('an edited bundle', () => {
  it('an in-place edit of the same length takes effect: Node checks the compiled code it keeps against the text', () => {
    // The bundle once came with V8 code caches that V8 tied to the text's length only: such an edit was ignored.
    const root = packageCopy('edited');
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'compile-cache') };
    expect(run(root, ['validate', config], env).stdout).toContain('0 errors, 0 warnings in 1 file');
    const bundle = path.join(root, 'dist', 'bundle');
    const words = ')} in ${plural(';
    const edited = readdirSync(bundle).filter((f) => {
      const file = path.join(bundle, f);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(words)) return false;
      writeFileSync(file, text.replace(words, ')} on ${plural('));
      return true;
    });
    expect(edited.length).toBeGreaterThan(0);
    const r = run(root, ['validate', config], env);
    expect(r.stdout).toContain('0 errors, 0 warnings on 1 file');
    expect(r.status).toBe(0);
  });
});

describe('stopping the built CLI', () => {
  it('SIGTERM while --client-secret-stdin waits on an open pipe: exit 143 after the grace, not the grace and the exit timer', async () => {
    // A grace of 400 ms (CREATIO_SSO_TEST_STOP_GRACE_MS) instead of STOP_GRACE_MS: the exit timer after it is still 2 s.
    const grace = 400;
    const child = spawn(
      process.execPath,
      [BIN, 'generate', '--config', config, '--offline', '--out-dir', path.join(dir, 'out'), '--client-secret-stdin'],
      {
        cwd: dir,
        env: cleanEnv({ CREATIO_SSO_TEST_STOP_GRACE_MS: String(grace) }),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    // Once the CLI waits on stdin (Node catches SIGTERM from its first moment, so that cannot tell).
    await settledIdle(child.pid!);
    const stopped = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const took = Date.now() - stopped;
    expect(took).toBeGreaterThanOrEqual(grace);
    expect(took).toBeLessThan(grace + 1000);
    expect(stderr).toBe('Stopped by SIGTERM: nothing was written.\n');
    child.stdin.end();
  });
});

describe('the bin through a symlink (npm link, a global install)', () => {
  it('runs from another folder, also when Node keeps the link path (--preserve-symlinks-main)', () => {
    const link = path.join(dir, 'creatio-sso');
    symlinkSync(BIN, link);
    for (const options of ['', '--preserve-symlinks-main --preserve-symlinks']) {
      const env = cleanEnv({ COGNITO_CLIENT_SECRET: TEST_SECRET, ...(options && { NODE_OPTIONS: options }) });
      const validate = spawnSync(process.execPath, [link, 'validate', config], { cwd: '/', env, encoding: 'utf8' });
      expect(validate.stderr, options).toBe('');
      expect(validate.status, options).toBe(0);
      const version = spawnSync(process.execPath, [link, '--version'], { cwd: '/', env, encoding: 'utf8' });
      expect(version.stdout, options).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});

describe('two --…-stdin flags in one run', () => {
  it('--password-stdin with --creatio-password-stdin: the advice names the variables of those two, not the client secret', async () => {
    const { runCli } = await import('../support/cli.js');
    const r = await runCli(['doctor', '--config', config, '--login', 'bob', '--password-stdin', '--creatio-password-stdin'], {
      env: { COGNITO_CLIENT_SECRET: TEST_SECRET },
      input: 'pw\n',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CREATIO_SSO_TEST_PASSWORD');
    expect(r.stderr).toContain('CREATIO_SSO_CREATIO_PASSWORD');
    expect(r.stderr).not.toContain('client secret');
  });
});

describe('NODE_OPTIONS=--no-experimental-require-module (require() of ES modules off)', () => {
  it('validate of a file whose findings hold wide characters still reports them: no "Unexpected error" from wrap-ansi', () => {
    const idn = path.join(dir, 'idn.yaml');
    writeFileSync(idn, EXAMPLE_YAML.replace('https://acme.creatio.com', 'https://例え.creatio.com'));
    const r = spawnSync(process.execPath, [BIN, 'validate', idn], {
      cwd: dir,
      env: cleanEnv({ COGNITO_CLIENT_SECRET: TEST_SECRET, NODE_OPTIONS: '--no-experimental-require-module' }),
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).not.toContain('Unexpected error');
    expect(r.stdout + r.stderr).toContain('host/idn');
    expect(r.status).toBe(0);
  });
});

describe('a current folder that no longer exists', () => {
  it('is a message and exit 1, not a stack trace from process.cwd()', () => {
    const gone = path.join(dir, 'gone');
    mkdirSync(gone);
    // The child starts in the folder, which is removed before the CLI asks for its cwd.
    const r = spawnSync('sh', ['-c', `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${BIN}" validate "${config}"`], {
      env: cleanEnv({ COGNITO_CLIENT_SECRET: TEST_SECRET }),
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain('The current folder no longer exists');
    expect(r.status).toBe(1);
  });
});
