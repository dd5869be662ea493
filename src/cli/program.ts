import { Command, InvalidArgumentError, Option, type OptionValues } from '@commander-js/extra-typings';
import {
  DEFAULT_CONFIG_FILE,
  DEFAULT_FORMAT,
  DEFAULT_OUT_DIR,
  DEFAULT_TIMEOUT_MS,
  INPUT_SPECS,
  REPORT_FORMATS,
  timeoutOf,
  type InputSpec,
} from '../settings/inputs.js';
import { toolVersion } from './version.js';
import type { Context } from './context.js';

/**
 * Every command as commander declares it (loaded by cli.ts for every run but a plain `validate` or `doctor`, see
 * validate-argv.ts). Command modules load lazily: `--help` loads nothing but commander.
 *
 * Each command's options type follows from its declaration below (commander's extra typings), and its
 * module takes exactly that type: a default is written once, here or in inputs.ts.
 */

/** The sections `doctor --skip` leaves out (§3). */
export const DOCTOR_SECTIONS = ['aws', 'creatio', 'hosted-ui', 'login'] as const;
export type DoctorSection = (typeof DOCTOR_SECTIONS)[number];

/** A comma list of `allowed` names, added to the ones given before (the option may repeat). */
const commaList =
  <T extends string>(allowed: readonly T[]) =>
  (value: string, previous: ReadonlySet<T> = new Set()): ReadonlySet<T> => {
    const names = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
    if (unknown.length || !names.length) throw new InvalidArgumentError(`give a comma list of ${allowed.join(', ')}.`);
    return new Set([...previous, ...(names as T[])]);
  };

const parseSections = commaList(DOCTOR_SECTIONS);

const parseTimeout = (value: string): number => {
  const n = timeoutOf(value);
  if (n === undefined) throw new InvalidArgumentError('give milliseconds, 1–600000.');
  return n;
};

/** One input of the INPUTS table as a commander option (typed by its flag: `--user-pool-id <id>` gives `userPoolId`). */
const inputOption = <U extends InputSpec['usage']>(i: InputSpec & { usage: U }) => new Option(i.usage, `${i.description} [env: ${i.env}]`);

type AnyCommand<A extends unknown[], O extends OptionValues, G extends OptionValues> = Command<A, O, G>;

/** The inputs `urls` takes: the pool, its region and domain, the Creatio site. */
const withUrlInputs = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: AnyCommand<A, O, G>) =>
  cmd
    .addOption(inputOption(INPUT_SPECS.creatioUrl))
    .addOption(inputOption(INPUT_SPECS.userPoolId))
    .addOption(inputOption(INPUT_SPECS.region))
    .addOption(inputOption(INPUT_SPECS.domain));

/** Every input of the INPUTS table. */
const withInputs = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: AnyCommand<A, O, G>) =>
  withUrlInputs(cmd)
    .addOption(inputOption(INPUT_SPECS.deployment).choices(INPUT_SPECS.deployment.choices))
    .addOption(inputOption(INPUT_SPECS.clientId))
    .addOption(inputOption(INPUT_SPECS.displayName))
    .addOption(inputOption(INPUT_SPECS.providerCode));

const withSecretOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: AnyCommand<A, O, G>) =>
  cmd
    .option('--client-secret-stdin', 'read the app client secret from stdin')
    .option(
      '--client-secret-env <NAME>',
      'read the app client secret from the environment variable NAME [env: CREATIO_SSO_CLIENT_SECRET holds the value itself]',
    );

const withWriteOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: AnyCommand<A, O, G>) =>
  cmd
    .option('--out-dir <dir>', 'folder for the artifacts', DEFAULT_OUT_DIR)
    .option('--force', 'overwrite existing files')
    .option('--dry-run', 'print what would be written (secret masked), write nothing')
    .option('--json', 'print {"files":[{"path","mode","bytes"}],"findings":[…]} instead of prose');

const withFormatOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: AnyCommand<A, O, G>) =>
  cmd
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default(DEFAULT_FORMAT))
    .option('--strict', 'fail on warnings too');

/**
 * `--creatio-password-stdin` (user name in CREATIO_SSO_CREATIO_USERNAME): stdin carries one value, so with
 * --client-secret-stdin in the same run it is a usage error (exit 2). For doctor, plan and apply.
 */
export const creatioPasswordStdinOption = () =>
  new Option(
    '--creatio-password-stdin',
    'read the Creatio password from stdin (user name: CREATIO_SSO_CREATIO_USERNAME); stdin carries one value',
  ).conflicts('clientSecretStdin');

/** The AWS API switches of doctor, plan and apply (§11). */
const withAwsOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: AnyCommand<A, O, G>) =>
  cmd
    .option('--aws', 'use the AWS API (Cognito) even when the environment names no credentials; none found is a usage error')
    .option('--aws-profile <name>', 'the AWS profile to use (implies --aws) [env: AWS_PROFILE]');

/** The halves of `plan` and `apply` (§13): `--skip` leaves one out; without it a half needs its credentials. */
export const HALVES = ['cognito', 'creatio'] as const;
export type HalfName = (typeof HALVES)[number];

/** What `apply --skip` leaves out (§3): a half, or one of its closing checks. */
export const APPLY_SECTIONS = [...HALVES, 'hosted-ui', 'login'] as const;
export type ApplySection = (typeof APPLY_SECTIONS)[number];

/** Options plan and apply share: the AWS switches, the halves, a new client, text or JSON. */
const withPlanOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: AnyCommand<A, O, G>) =>
  withAwsOptions(
    withSecretOptions(
      withInputs(
        cmd
          .addOption(new Option('--format <format>', 'output format').choices(['text', 'json'] as const).default('text' as const))
          .option('--strict', 'fail on warnings too')
          .option('--create-client', 'plan (apply: create) a new Cognito app client with a secret when cognito.clientId is absent')
          .option('--write-secret', "write the app client secret into Creatio's provider record (it cannot be read back to compare)")
          .addOption(creatioPasswordStdinOption()),
      ),
    ),
  );

const CONFIG_TO_READ = 'config file (default: creatio-sso.yaml/.yml/.json here)';
const CONFIGS_TO_READ = 'a config file; repeat it, or name files and globs as arguments, to check many at once';
const CONFIG_ARGUMENTS = 'config files or globs (envs/*.yaml), each checked as a --config';

/** `--config` of validate, doctor and plan: each one adds a config (§17). */
const manyConfigs = (value: string, previous: readonly string[] = []): readonly string[] => [...previous, value];

/**
 * `--config` given twice would check only the last file and say nothing of the first: a usage error that
 * names the way to check several (validate takes many files; one run per config for the others).
 */
function oneConfig(value: string, previous: string | undefined): string {
  if (previous !== undefined)
    throw new InvalidArgumentError('takes one config file: run the command once per config (validate, doctor and plan take many at once).');
  return value;
}

const EXAMPLES = `
Examples:
  $ npx creatio-sso init                                  guided set-up, writes creatio-sso.yaml and the artifacts
  $ creatio-sso urls --user-pool-id eu-west-1_AbCdEf123 --domain acme-login --creatio-url https://acme.creatio.com
  $ COGNITO_CLIENT_SECRET=… creatio-sso generate --config creatio-sso.yaml
  $ creatio-sso validate --format github envs/*.yaml      CI gate with annotations
  $ creatio-sso doctor --config creatio-sso.yaml          probe the live hosted UI
  $ creatio-sso plan --exit-code                          drift check: exit 4 when changes are pending
  $ creatio-sso apply --yes                               make the live sides match the config

Exit codes: 0 ok, 1 configuration errors or failed live check, 2 usage error, 3 inconclusive (network),
4 changes pending (plan --exit-code), 130 cancelled (Ctrl-C, or declining apply's question).
Docs: https://www.npmjs.com/package/creatio-sso`;

const declareProgram = () =>
  new Command('creatio-sso')
    .description('Set up and check single sign-on between Creatio and AWS Cognito (OpenID Connect).')
    .version(toolVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // A fixed width makes help the same on every terminal, so the bin can print a prebuilt copy.
    .configureHelp({ helpWidth: 80, showGlobalOptions: true })
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--timeout <ms>', 'limit for every network request, in milliseconds', parseTimeout, DEFAULT_TIMEOUT_MS)
    .option('--verbose', 'show details, including stack traces of failures')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXAMPLES)
    .exitOverride();
export type Program = ReturnType<typeof declareProgram>;

/** Each command's one-line description and its example, as --help shows them. */
const ABOUT = {
  init: {
    description: 'interactive wizard: asks for the values, checks them live, writes the config file and the artifacts',
    example: 'npx creatio-sso init',
  },
  generate: {
    description: 'render the artifacts from a config file, no prompts; flags and variables win over the file, and say so',
    example: 'creatio-sso generate --config creatio-sso.yaml --out-dir creatio-sso',
  },
  urls: {
    description: 'print the URLs derived from a user pool, its domain and the Creatio site',
    example: 'creatio-sso urls --user-pool-id eu-west-1_AbCdEf123 --domain acme-login --json',
  },
  validate: {
    description:
      'check config files as written, offline (and live with --online); the CI gate. It takes no input flags or variables: a file is checked as it is',
    example: 'creatio-sso validate --format github envs/*.yaml',
  },
  doctor: {
    description:
      'every offline and live check, plus probes of the hosted UI (no browser); flags and variables win over the file, and say so',
    example: 'creatio-sso doctor --config creatio-sso.yaml',
  },
  plan: {
    description:
      'read both live sides (Cognito through the AWS API, Creatio through its API) and print what apply would change; writes nothing',
    example: 'creatio-sso plan --config creatio-sso.yaml --exit-code',
  },
  apply: {
    description: "the plan, a confirmation (or --yes), the changes in order, then a re-read and doctor's checks",
    example: 'creatio-sso apply --config creatio-sso.yaml --yes',
  },
  rotate: {
    description: "replace the app client's secret on both sides without downtime, proving each step; the old secret stays until --finish",
    example: 'creatio-sso rotate --config creatio-sso.yaml --secret-out - | gh secret set COGNITO_CLIENT_SECRET',
  },
} as const;

const subcommand = (program: Program, name: keyof typeof ABOUT) =>
  program.command(name).description(ABOUT[name].description).addHelpText('after', `\nExample:\n  $ ${ABOUT[name].example}`);

const declareInit = (program: Program) => {
  const cmd = subcommand(program, 'init')
    .option('--config <file>', 'config file to write', DEFAULT_CONFIG_FILE)
    .option('--offline', 'skip the live lookup of the discovery document')
    .option('--non-interactive', 'never prompt: take every value from flags and environment variables')
    .option('--jit-employees', 'create employees at their first SSO sign-in (Just-In-Time provisioning)')
    .option('--jit-external-users', 'create external users at their first SSO sign-in')
    .option('--mobile-sso', 'sign in to the Creatio mobile app with SSO too');
  return withWriteOptions(withSecretOptions(withInputs(cmd)));
};

const declareGenerate = (program: Program) => {
  const cmd = subcommand(program, 'generate')
    .option('--config <file>', CONFIG_TO_READ, oneConfig)
    .option('--offline', 'skip the live checks')
    .option('--strict', 'fail on warnings too');
  return withWriteOptions(withSecretOptions(withInputs(cmd)));
};

const declareUrls = (program: Program) => withUrlInputs(subcommand(program, 'urls')).option('--json', 'print one JSON object');

const declareValidate = (program: Program) =>
  withFormatOptions(
    subcommand(program, 'validate')
      .argument('[files...]', 'config files or globs (default: creatio-sso.yaml/.yml/.json here)')
      .option('--config <file>', 'a config file (may repeat; the same as naming it as an argument)', manyConfigs)
      .option('--online', 'also check the discovery document and JWKS live'),
  );

const declareDoctor = (program: Program) => {
  const cmd = subcommand(program, 'doctor')
    .argument('[configs...]', CONFIG_ARGUMENTS)
    .option('--config <file>', CONFIGS_TO_READ, manyConfigs)
    .option('--skip <sections>', `leave sections out, a comma list of ${DOCTOR_SECTIONS.join(', ')}`, parseSections)
    .option(
      '--login <username>',
      'sign this test user in and verify the ID token Creatio would get (password: CREATIO_SSO_TEST_PASSWORD or --password-stdin)',
    )
    .option('--password-stdin', "read the --login user's password from stdin (stdin carries one value: not with another --…-stdin)")
    .addOption(creatioPasswordStdinOption());
  return withAwsOptions(withSecretOptions(withInputs(withFormatOptions(cmd))));
};

/** plan and apply: the shared options on a subcommand of their own. */
const planCommand = (program: Program, name: 'plan' | 'apply') => withPlanOptions(subcommand(program, name));

const declarePlan = (program: Program) =>
  planCommand(program, 'plan')
    .argument('[configs...]', CONFIG_ARGUMENTS)
    .option('--config <file>', CONFIGS_TO_READ, manyConfigs)
    .option('--exit-code', 'exit 4 when changes are pending and nothing failed (CI drift checks)')
    .option(
      '--skip <halves>',
      `leave a half out, a comma list of ${HALVES.join(', ')} (a half without credentials is otherwise a usage error)`,
      commaList(HALVES),
    );

const declareApply = (program: Program) =>
  planCommand(program, 'apply')
    .option('--config <file>', CONFIG_TO_READ, oneConfig)
    .option('--yes', 'apply without asking (needed without a terminal)')
    .option('--out-dir <dir>', 'folder of the record file that takes a new client secret (--create-client)', DEFAULT_OUT_DIR)
    .option('--force', 'overwrite an existing record file (--create-client)')
    .option(
      '--skip <sections>',
      `leave a half or a closing check out, a comma list of ${APPLY_SECTIONS.join(', ')} (a half without credentials is otherwise a usage error)`,
      commaList(APPLY_SECTIONS),
    );

const parseRotateSkip = (value: string): 'creatio' => {
  if (value.trim() !== 'creatio') throw new InvalidArgumentError('rotate leaves out only creatio (§16).');
  return 'creatio';
};

const declareRotate = (program: Program) => {
  const cmd = subcommand(program, 'rotate')
    .option('--config <file>', CONFIG_TO_READ, oneConfig)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json'] as const).default('text' as const))
    .addOption(new Option('--finish', 'give Creatio the newer secret again, prove it, then delete the older one').conflicts('abort'))
    .option('--abort', 'give Creatio the configured (older) secret again, prove it, then delete the newer one')
    .option('--grace <duration>', 'with --finish: delete only when the newer secret is at least this old (30m, 12h, 7d)')
    .option('--dry-run', 'print the steps rotate would take; change nothing')
    .option('--yes', 'with --skip creatio: --finish and --abort delete a secret Creatio may still hold')
    .option('--skip <section>', 'creatio: rotate at Cognito only (Creatio then needs the new secret by hand)', parseRotateSkip)
    .addOption(
      new Option(
        '--new-secret-stdin',
        'read the new secret (24–64 characters of [A-Za-z0-9_+]) from stdin instead of letting Cognito make one',
      ).conflicts(['clientSecretStdin', 'creatioPasswordStdin', 'passwordStdin']),
    )
    .option(
      '--login <username>',
      'after Creatio has the new secret, sign this test user in with it and verify the ID token (password: CREATIO_SSO_TEST_PASSWORD or --password-stdin)',
    )
    .option('--password-stdin', "read the --login user's password from stdin (stdin carries one value: not with another --…-stdin)")
    .option(
      '--secret-out <file>',
      'store the new secret in this file (0600), or - for stdout (a pipe); default: the record file in --out-dir',
    )
    .option('--out-dir <dir>', 'folder of the record file that stores the new secret', DEFAULT_OUT_DIR)
    .addOption(creatioPasswordStdinOption());
  return withAwsOptions(withSecretOptions(withInputs(cmd)));
};

/** The options each command's `run` takes: exactly what its declaration above gives. */
export type GlobalOptions = ReturnType<Program['opts']>;
export type InitOptions = ReturnType<ReturnType<typeof declareInit>['opts']>;
export type GenerateOptions = ReturnType<ReturnType<typeof declareGenerate>['opts']>;
export type UrlsOptions = ReturnType<ReturnType<typeof declareUrls>['opts']>;
export type ValidateOptions = Omit<ReturnType<ReturnType<typeof declareValidate>['opts']>, 'config'> & {
  readonly files: readonly string[];
};
/** doctor and plan check one config (`config`), or many through commands/many.ts (`configs`). */
type OneConfig<O> = Omit<O, 'config'> & { config?: string };
type ManyConfigs<O> = Omit<O, 'config'> & { readonly configs: readonly string[] };
export type DoctorOptions = OneConfig<ReturnType<ReturnType<typeof declareDoctor>['opts']>>;
export type PlanOptions = OneConfig<ReturnType<ReturnType<typeof declarePlan>['opts']>>;
export type DoctorConfigsOptions = ManyConfigs<ReturnType<ReturnType<typeof declareDoctor>['opts']>>;
export type PlanConfigsOptions = ManyConfigs<ReturnType<ReturnType<typeof declarePlan>['opts']>>;
export type ApplyOptions = ReturnType<ReturnType<typeof declareApply>['opts']>;
export type RotateOptions = ReturnType<ReturnType<typeof declareRotate>['opts']>;

/** A command module: its `run` takes its own options; the global ones are in the context. */
export type CommandModule<O> = { run: (opts: O, ctx: Context) => Promise<void> };
export type Loader<O> = () => Promise<CommandModule<O>>;
/** How a parsed command runs: `globals` decide the context (colour, timeout, interactivity). */
export type Runner = <O>(load: Loader<O>, opts: O, globals: GlobalOptions & { nonInteractive?: true }) => Promise<void>;

/** The program and each of its commands, declared; run.ts gives each command its action (a lazy import of its module). */
export function declareCommands() {
  const program = declareProgram();
  return {
    program,
    init: declareInit(program),
    generate: declareGenerate(program),
    urls: declareUrls(program),
    validate: declareValidate(program),
    doctor: declareDoctor(program),
    plan: declarePlan(program),
    apply: declareApply(program),
    rotate: declareRotate(program),
  };
}
