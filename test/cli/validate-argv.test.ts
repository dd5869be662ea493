import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declareCommands } from '../../src/cli/program.js';
import { buildProgram } from '../../src/cli/run.js';
import { timeoutOf } from '../../src/settings/inputs.js';
import { doctorArgv, validateArgv } from '../../src/cli/validate-argv.js';

/**
 * validate-argv.ts reads a plain `validate` or `doctor` command line without commander. Wherever it answers,
 * the answer must be commander's own: the same options and files (configs) for the command, the same globals.
 */
async function commanderReads(args: string[]): Promise<{ opts: unknown; globals: unknown } | 'refused'> {
  let seen: { opts: unknown; globals: unknown } | undefined;
  const program = buildProgram(declareCommands(), async (_load, opts, globals) => {
    seen = { opts, globals };
  });
  for (const c of [program, ...program.commands]) c.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  try {
    await program.parseAsync(['node', 'creatio-sso', ...args]);
  } catch {
    return 'refused';
  }
  return seen ?? 'refused';
}

const token = fc.oneof(
  fc.constantFrom('--strict', '--online', '--no-color', '--verbose', '--format', '--timeout'),
  fc.constantFrom('json', 'text', 'github', 'xml', '5000', '0', '600001', '1.5', '250'),
  fc.constantFrom('--format=json', '--format=github', '--format=', '--format=nope', '--timeout=100', '--timeout=-1', '--strict=yes'),
  fc.constantFrom(
    'a.yaml',
    'envs/b.yml',
    '',
    'help',
    'validate',
    ' spaced name.yaml',
    '-',
    '--',
    '-h',
    '--help',
    '-V',
    '--color',
    '--json',
  ),
  fc.string({ maxLength: 6 }),
);

const doctorToken = fc.oneof(
  fc.constantFrom('--strict', '--no-color', '--verbose', '--format', '--timeout', '--config', '--config', '--skip', '--aws'),
  fc.constantFrom('json', 'text', 'github', 'xml', '5000', '0', '600001', '250', 'aws', 'creatio-sso.yaml'),
  fc.constantFrom('--format=github', '--format=', '--timeout=100', '--config=a.yaml', '--config=', '--strict=yes', '--online'),
  fc.constantFrom('a.yaml', 'envs/*.yaml', '', 'help', 'doctor', '-', '--', '-h', '--help', '-V', '--color', '--json'),
  fc.string({ maxLength: 6 }),
);

/** `command` followed by generated tokens: wherever `quick` answers, commander reads the same. */
async function agreesWithCommander(command: string, tokens: fc.Arbitrary<string>, quick: (args: string[]) => unknown): Promise<void> {
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(tokens, { maxLength: 7 }), async (rest) => {
      const args = [command, ...rest];
      const read = quick(args);
      if (!read) return;
      answered++;
      expect(await commanderReads(args)).toEqual(read);
    }),
    { numRuns: 1500 },
  );
  // The generator reaches the quick path often, or the comparison above would prove little.
  expect(answered).toBeGreaterThan(150);
}

describe('validate without commander', () => {
  it('reads every command line it answers for exactly as commander does, and answers for the plain ones', async () => {
    await agreesWithCommander('validate', token, validateArgv);
  });

  it('answers the common forms, and leaves help, -- and unknown options to commander', async () => {
    expect(validateArgv(['validate'])).toEqual(await commanderReads(['validate']));
    const ci = ['validate', '--format', 'github', '--strict', 'envs/a.yaml', 'envs/b.yaml'];
    expect(validateArgv(ci)).toEqual(await commanderReads(ci));
    expect(validateArgv(ci)!.opts.files).toEqual(['envs/a.yaml', 'envs/b.yaml']);
    for (const args of [
      ['validate', '--help'],
      ['validate', '--', '-x.yaml'],
      ['validate', '--bogus'],
      ['validate', '--format', 'xml'],
      ['doctor'],
    ]) {
      expect(validateArgv(args), args.join(' ')).toBeUndefined();
    }
  });

  it('reads every doctor command line it answers for exactly as commander does, and answers for the plain ones', async () => {
    await agreesWithCommander('doctor', doctorToken, doctorArgv);
  });

  it('answers the common doctor forms, and leaves help, -- and every other option to commander', async () => {
    for (const args of [
      ['doctor'],
      ['doctor', '--config', 'creatio-sso.yaml'],
      ['doctor', '--config=a.yaml', '--config', 'b.yaml', 'envs/*.yaml', '--format', 'json', '--strict', '--timeout', '5000'],
      ['doctor', '--no-color', '--verbose', 'a.yaml'],
    ]) {
      expect(doctorArgv(args), args.join(' ')).toEqual(await commanderReads(args));
    }
    expect(doctorArgv(['doctor', '--config', 'a.yaml', 'b.yaml'])!.opts.configs).toEqual(['a.yaml', 'b.yaml']);
    for (const args of [
      ['doctor', '--help'],
      ['doctor', '--', '-x.yaml'],
      ['doctor', '--skip', 'aws'],
      ['doctor', '--login', 'alice'],
      ['doctor', '--user-pool-id', 'eu-west-1_AbCdEf123'],
      ['doctor', '--online'],
      ['doctor', '--config'],
      ['validate', 'a.yaml'],
      ['plan'],
    ]) {
      expect(doctorArgv(args), args.join(' ')).toBeUndefined();
    }
  });

  it('takes --timeout as commander does: whole milliseconds, 1–600000', () => {
    expect([
      timeoutOf('1'),
      timeoutOf('600000'),
      timeoutOf('0'),
      timeoutOf('600001'),
      timeoutOf('1.5'),
      timeoutOf(''),
      timeoutOf('x'),
    ]).toEqual([1, 600000, undefined, undefined, undefined, undefined, undefined]);
  });
});
