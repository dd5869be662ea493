/**
 * §17's GitHub Action (action.yml): the step's script, run with bash in a simulated Actions environment
 * (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP in a temp folder; the inputs as the `env:` block sets
 * them). The CLI is a stand-in that records its arguments and exits with a chosen code, reached through
 * a stand-in npm that checks the `npm exec` line and runs the package it names. The step with the real
 * npm and the real packed package is in package.test.ts, with the package's other tests.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, HOSTILE, runActionScript, runStep } from '../support/action.js';
import { tempDir } from '../support/cli.js';

describe('action.yml', () => {
  it('is composite, sets up Node 24 by default, and passes inputs to the script only through env', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'command', 'config', 'node-version', 'version']);
    expect(action.inputs['node-version']!.default).toBe('24');
    const setup = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(setup.with!['node-version']).toBe('${{ inputs.node-version }}');
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'pending']);
    // No expression of any kind inside a script: it would be pasted in before bash reads it.
    for (const step of action.runs.steps) expect(step.run ?? '').not.toContain('${{');
    expect(Object.values(runStep.env!).sort()).toEqual(['command', 'config', 'args', 'version'].map((i) => `\${{ inputs.${i} }}`).sort());
    expect(runStep.run).toContain('npm exec --yes --package="creatio-sso@$version" -- creatio-sso');
  });
});

describe('the action script in a simulated Actions environment', () => {
  let dir = '';
  let cleanup = () => {};
  let fake = '';
  let stubs = '';

  beforeAll(() => {
    const t = tempDir('action-');
    dir = t.dir;
    cleanup = t.cleanup;
    // The stand-in CLI: records its argv as JSON, exits with FAKE_EXIT.
    fake = path.join(dir, 'fake');
    mkdirSync(path.join(fake, 'bin'), { recursive: true });
    writeFileSync(
      path.join(fake, 'bin', 'cli.js'),
      "#!/usr/bin/env node\nrequire('fs').writeFileSync(process.env.FAKE_ARGV, JSON.stringify(process.argv.slice(2)));\nprocess.exit(Number(process.env.FAKE_EXIT || 0));\n",
    );
    // The stand-in npm: only the one line the script may run (npm exec --yes --package=creatio-sso@file:<dir> -- creatio-sso …),
    // the package it names recorded, then that package's CLI with the rest of the arguments as they came.
    stubs = path.join(dir, 'stubs');
    mkdirSync(stubs);
    writeFileSync(
      path.join(stubs, 'npm'),
      `#!/bin/bash
if [ "$1" != exec ] || [ "$2" != --yes ] || [ "\${3%%=*}" != --package ] || [ "$4" != -- ] || [ "$5" != creatio-sso ]; then
  echo "stand-in npm: unexpected arguments: $*" >&2; exit 99
fi
spec="\${3#--package=}"
printf '%s' "$spec" >"$FAKE_PACKAGE"
shift 5
exec node "\${spec#creatio-sso@file:}/bin/cli.js" "$@"
`,
      { mode: 0o755 },
    );
  });
  afterAll(() => cleanup());

  /** One run of the step's script with the stand-in npm and CLI: what the CLI was given, and the package npm was asked for. */
  function runAction(inputs: Record<string, string>, opts: { actionPath?: string; env?: Record<string, string> } = {}) {
    const argvFile = path.join(dir, 'argv.json');
    const pkgFile = path.join(dir, 'package');
    for (const f of [argvFile, pkgFile]) rmSync(f, { force: true });
    const r = runActionScript(dir, inputs, {
      ...opts,
      pathFirst: stubs,
      npmCache: path.join(dir, 'npm-cache'),
      env: { FAKE_ARGV: argvFile, FAKE_PACKAGE: pkgFile, ...opts.env },
    });
    const argv = existsSync(argvFile) ? (JSON.parse(readFileSync(argvFile, 'utf8')) as string[]) : undefined;
    // The package npm was asked for: creatio-sso at the version input (or the action's own).
    if (argv) expect(readFileSync(pkgFile, 'utf8')).toBe(`creatio-sso@${inputs.version || `file:${fake}`}`);
    return { ...r, argv };
  }

  it('hostile args and config reach the CLI as plain words: nothing runs, the outputs are the CLI’s', () => {
    const v = runAction({ command: 'validate', version: `file:${fake}`, ...HOSTILE }, { env: { FAKE_EXIT: '1' } });
    expect(v.pwned).toBe(false);
    expect(v.status).toBe(1);
    expect(v.outputs).toEqual({ 'exit-code': '1' });
    expect(v.argv).toEqual(['validate', '--format', 'github', '$(touch', 'pwned);', 'x', '";', 'touch', 'pwned', '#']);
    // plan: the same config is four words, so four configs, each a --config of its own (§17); nothing runs.
    const many = runAction({ command: 'plan', version: `file:${fake}`, ...HOSTILE });
    expect(many.pwned).toBe(false);
    expect(many.outputs).toEqual({ 'exit-code': '0', pending: 'false' });
    expect(many.argv).toEqual([
      'plan',
      '--exit-code',
      '$(touch',
      'pwned);',
      'x',
      '--config',
      '";',
      '--config',
      'touch',
      '--config',
      'pwned',
      '--config',
      '#',
    ]);
    const p = runAction({ command: 'plan', version: `file:${fake}`, args: HOSTILE.args, config: '";' }, { env: { FAKE_EXIT: '4' } });
    expect(p.pwned).toBe(false);
    expect(p.status).toBe(4);
    expect(p.outputs).toEqual({ 'exit-code': '4', pending: 'true' });
    expect(p.argv).toEqual(['plan', '--exit-code', '$(touch', 'pwned);', 'x', '--config', '";']);
  });

  it('globs are expanded, a pattern nothing matches stays as it is; validate and doctor annotate', () => {
    const v = runAction({ command: 'validate', version: `file:${fake}`, config: '*.yaml\nnone/*.yml', args: '--strict' });
    expect(v.argv).toEqual(['validate', '--format', 'github', '--strict', 'sso.yaml', 'none/*.yml']);
    expect(v.outputs).toEqual({ 'exit-code': '0' });
    const d = runAction({ command: 'doctor', version: `file:${fake}`, config: 'sso.yaml' }, { env: { FAKE_EXIT: '1' } });
    expect(d.argv).toEqual(['doctor', '--format', 'github', '--config', 'sso.yaml']);
    expect(d.status).toBe(1);
    expect(d.outputs).toEqual({ 'exit-code': '1' });
    const p = runAction({ command: 'plan', version: `file:${fake}` });
    expect(p.outputs).toEqual({ 'exit-code': '0', pending: 'false' });
  });

  it('any command but validate, doctor and plan fails the step before anything is installed or run', () => {
    for (const command of ['apply', 'rotate', 'validate; touch pwned', '$(touch pwned)', '']) {
      const r = runAction({ command, version: `file:${fake}`, ...HOSTILE });
      expect(r.status).toBe(2);
      expect(r.stdout).toContain('::error title=creatio-sso::The command input must be validate, doctor or plan.');
      expect(r.outputs).toEqual({ 'exit-code': '2' });
      expect(r.argv).toBeUndefined();
      expect(r.pwned).toBe(false);
    }
  });

  it('doctor and plan take many configs: each file a --config of its own, one run (§17)', () => {
    const extra: Record<string, string[]> = { doctor: ['--format', 'github'], plan: ['--exit-code'] };
    for (const command of ['doctor', 'plan']) {
      const r = runAction({ command, version: `file:${fake}`, config: 'sso.yaml other.yaml' }, { env: { FAKE_EXIT: '1' } });
      expect(r.status).toBe(1);
      expect(r.outputs['exit-code']).toBe('1');
      expect(r.argv).toEqual([command, ...extra[command]!, '--config', 'sso.yaml', '--config', 'other.yaml']);
    }
  });

  it('the default version is the action’s own (its package.json)', () => {
    const own = path.join(dir, 'own-action');
    mkdirSync(own);
    writeFileSync(path.join(own, 'package.json'), JSON.stringify({ version: `file:${fake}` }));
    const r = runAction({ command: 'validate', config: 'sso.yaml' }, { actionPath: own });
    expect(r.argv).toEqual(['validate', '--format', 'github', 'sso.yaml']);
  });
});
