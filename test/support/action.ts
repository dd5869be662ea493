/**
 * §17's GitHub Action (action.yml) as the runner runs it: the step's script with bash, the inputs in the
 * `env:` block's variables, the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP) in a
 * folder of their own. Used with a stand-in CLI (test/cli/github-action.test.ts) and with the real
 * packed package (test/cli/package.test.ts).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { EXAMPLE_YAML, ROOT } from './cli.js';

export interface Step {
  uses?: string;
  id?: string;
  shell?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}

export const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
export const runStep = action.runs.steps.find((s) => s.run)!;

/** Inputs that try to run `touch pwned` if anything evaluates them. */
export const HOSTILE = { args: '$(touch pwned); x', config: '"; touch pwned #' };

export interface ActionRun extends SpawnSyncReturns<string> {
  /** The step's working folder (holds sso.yaml, the example config). */
  work: string;
  /** What the step wrote to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** Whether a `pwned` file appeared: something ran from the inputs. */
  pwned: boolean;
  files: { output: string; summary: string };
}

export interface ActionOptions {
  /** GITHUB_ACTION_PATH: where the action's package.json (its default version) is. Default: this repository. */
  actionPath?: string;
  /** Put first on PATH (a stand-in npm). */
  pathFirst?: string;
  /** npm's cache (npm_config_cache); npm runs offline. */
  npmCache: string;
  env?: Record<string, string>;
}

let runs = 0;

/** One run of the step's script in a new folder under `dir`, as the runner would run it. */
export function runActionScript(dir: string, inputs: Record<string, string>, opts: ActionOptions): ActionRun {
  const work = path.join(dir, `run-${runs++}`);
  mkdirSync(work);
  writeFileSync(path.join(work, 'sso.yaml'), EXAMPLE_YAML);
  const files = { output: path.join(work, 'output'), summary: path.join(work, 'summary.md') };
  writeFileSync(files.output, '');
  const env: Record<string, string> = {
    PATH: opts.pathFirst ? `${opts.pathFirst}:${process.env.PATH!}` : process.env.PATH!,
    HOME: process.env.HOME ?? homedir(),
    LANG: 'C.UTF-8',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: work,
    GITHUB_ACTION_PATH: opts.actionPath ?? ROOT,
    npm_config_offline: 'true',
    npm_config_cache: opts.npmCache,
    npm_config_update_notifier: 'false',
    ...opts.env,
  };
  // The env block as the runner fills it: each input's value, verbatim.
  for (const [name, value] of Object.entries(runStep.env!)) {
    const input = /inputs\.([\w-]+)/.exec(value)![1]!;
    env[name] = inputs[input] ?? action.inputs[input]?.default ?? '';
  }
  const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', runStep.run!], {
    cwd: work,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const outputs = Object.fromEntries(
    readFileSync(files.output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=', 2) as [string, string]),
  );
  const pwned = readdirSync(work).includes('pwned') || readdirSync(dir).includes('pwned') || existsSync(path.join(ROOT, 'pwned'));
  return { ...r, work, outputs, pwned, files };
}
