import { checkClientSecretValue } from './core/checks.js';
import { finding, type Finding } from './core/findings.js';
import type { SecretRef } from './core/schema.js';
import type { Context } from './context.js';
import { UsageError } from './errors.js';
import { ENV_NAME_PATTERN, secretSourceFrom, type SecretSource } from './inputs.js';

export interface SecretFlags {
  clientSecretStdin?: boolean;
  clientSecretEnv?: string;
}

/** Read the secret from stdin: the whole input, without the final line break. */
export async function readSecretFromStdin(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw new UsageError('--client-secret-stdin reads the secret from a pipe: printf %s "$SECRET" | creatio-sso …');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > 4096) throw new UsageError('--client-secret-stdin: the input is longer than any client secret. Pipe only the secret.');
    chunks.push(b);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Long mixed-case names with digits are secrets pasted by mistake, not variable names. */
const looksLikeSecret = (name: string): boolean => name.length >= 24 && /[a-z]/.test(name) && /\d/.test(name);

export interface ResolvedSecret {
  value?: string;
  findings: Finding[];
  /** Where the value came from, for messages ("environment variable X"). */
  source?: SecretSource;
}

/**
 * The secret a command needs: from --client-secret-stdin, --client-secret-env, CREATIO_SSO_CLIENT_SECRET,
 * or the config file's ${env:NAME} reference, in that order. The value is registered with the output
 * so that it is masked wherever it might appear.
 */
export async function resolveSecret(flags: SecretFlags, configured: SecretRef | undefined, ctx: Context): Promise<ResolvedSecret> {
  const path = 'cognito.clientSecret';
  const source = secretSourceFrom(flags, ctx.env);
  if (source.kind === 'env' && (!ENV_NAME_PATTERN.test(source.name) || looksLikeSecret(source.name))) {
    // Never echo it: a user who typed the secret itself here must not see it again in a CI log.
    throw new UsageError(
      '--client-secret-env takes the NAME of the environment variable that holds the secret (e.g. COGNITO_CLIENT_SECRET), never the secret itself. If you typed the secret on the command line, it is in your shell history: rotate it in Cognito.',
    );
  }
  let value: string | undefined;
  let name: string | undefined;
  if (source.kind === 'stdin') value = await readSecretFromStdin(ctx.stdin);
  else if (source.kind === 'env') name = source.name;
  else if (configured?.kind === 'env') name = configured.name;
  else if (configured?.kind === 'literal') value = configured.value;

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
        source,
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
      source,
    };
  }
  ctx.output.addSecret(value);
  return { value, findings: checkClientSecretValue(value, path), source };
}
