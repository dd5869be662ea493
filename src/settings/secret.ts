import { checkClientSecretValue, checkSecretRefName } from '../core/config/checks.js';
import { finding, type Finding } from '../core/findings.js';
import type { SecretRef } from '../core/config/secret-ref.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { looksLikeSecretNotName } from '../core/trust.js';
import type { SecretSource, Source } from './inputs.js';

export interface SecretFlags {
  clientSecretStdin?: boolean;
  clientSecretEnv?: string;
}

/** What a `--…-stdin` flag reads, for its messages: the client secret by default, the test password for `--password-stdin`. */
export interface StdinValue {
  flag: string;
  /** `the secret`, `the password`. */
  what: string;
  /** The shell variable in the example pipe. */
  variable: string;
}

const CLIENT_SECRET_STDIN: StdinValue = { flag: '--client-secret-stdin', what: 'the secret', variable: 'SECRET' };

/** Read one value from stdin: the whole input, without the final line break. */
export async function readSecretFromStdin(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  value: StdinValue = CLIENT_SECRET_STDIN,
): Promise<string> {
  if (stdin.isTTY) throw new UsageError(`${value.flag} reads ${value.what} from a pipe: printf %s "$${value.variable}" | creatio-sso …`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > 4096) throw new UsageError(`${value.flag}: the input is over 4096 bytes. Pipe only ${value.what}.`);
    chunks.push(b);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The app client secret a command runs with, read once by the settings. */
export interface Secret {
  /** The value, registered with the output so it is masked wherever it might appear. */
  readonly value?: string;
  /** Where it came from in the user's words (the flag, the variable, the config file), for notices. */
  readonly source: Source;
  /** How it was supplied: stdin, a variable (named by --client-secret-env or CREATIO_SSO_CLIENT_SECRET), or not at all. */
  readonly supplied: SecretSource;
  /** The findings of reading it (unset variable, a refused name, a value not shaped like a secret). */
  readonly findings: readonly Finding[];
}

/**
 * The secret a command needs: from --client-secret-stdin, --client-secret-env, CREATIO_SSO_CLIENT_SECRET,
 * or the config file's ${env:NAME} reference, in that order. The value is registered with the output
 * so that it is masked wherever it might appear.
 */
export async function resolveSecret(
  source: SecretSource,
  configured: SecretRef | undefined,
  ctx: Context,
): Promise<{ value?: string; findings: Finding[] }> {
  const path = 'cognito.clientSecret';
  // §10: a value where a NAME belongs (not a variable name, or shaped like a secret) is refused, never echoed.
  if (source.kind === 'env' && looksLikeSecretNotName(source.name)) {
    // Never echo it: a user who typed the secret itself here must not see it again in a CI log.
    throw new UsageError(
      '--client-secret-env takes the NAME of the environment variable that holds the secret (e.g. COGNITO_CLIENT_SECRET), never the secret itself. If you typed the secret on the command line, it is in your shell history: rotate it in Cognito.',
    );
  }
  let value: string | undefined;
  let name: string | undefined;
  if (source.kind === 'stdin') value = await readSecretFromStdin(ctx.stdin);
  else if (source.kind === 'env') name = source.name;
  else if (configured?.kind === 'env') {
    // §10: a secret-shaped name is refused without being echoed; another system's credential is never read.
    const refused = checkSecretRefName(configured.name, path);
    if (refused.length) return { findings: refused };
    name = configured.name;
  } else if (configured?.kind === 'literal') value = configured.value;

  if (name !== undefined) {
    value = ctx.env[name];
    if (value === undefined || value === '') {
      return {
        findings: [
          finding(
            'client-secret/unresolved',
            path,
            `The environment variable ${name} is not set: export ${name} with the app client secret (Cognito → App clients → Show client secret), then run again.`,
          ),
        ],
      };
    }
  }
  if (value === undefined) {
    return {
      findings: [
        finding(
          'client-secret/unresolved',
          path,
          'No client secret: set clientSecret: ${env:NAME} in the config, or use --client-secret-env NAME or --client-secret-stdin.',
        ),
      ],
    };
  }
  ctx.output.addSecret(value);
  return { value, findings: checkClientSecretValue(value, path) };
}
