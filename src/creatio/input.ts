import type { ResolvedConfig } from '../core/config/checks.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import type { InputFlags } from '../settings/inputs.js';
import { creatioSecretTrust, type CreatioSecretTrust } from '../core/trust.js';
import { trustPins, type FileSettings } from '../settings/resolve.js';
import { NO_CREATIO_CREDENTIALS, type CreatioConnectInput } from './connect.js';

/**
 * The Creatio half's input (§12, §13), resolved once from the settings, the environment and stdin:
 * the pinned site, the provider code, the credentials and whether the secret may be written.
 */

export const CREATIO_ENV = {
  userName: 'CREATIO_SSO_CREATIO_USERNAME',
  password: 'CREATIO_SSO_CREATIO_PASSWORD',
  oauthClientId: 'CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID',
  oauthClientSecret: 'CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET',
  identityUrl: 'CREATIO_SSO_CREATIO_IDENTITY_URL',
} as const;

export const CREATIO_PASSWORD_STDIN = '--creatio-password-stdin';

/** Everything the half needs, resolved once by `creatioHalfInput` (or built directly by a test). */
export interface CreatioHalfInput {
  /** The checked configuration, flags and variables applied. */
  resolved: ResolvedConfig;
  /** creatio.url as --creatio-url / CREATIO_SSO_CREATIO_URL named it: the only site credentials go to (§10). */
  pinnedUrl?: string | undefined;
  /** creatio.url as the config file holds it. */
  fileUrl?: string | undefined;
  /** provider.code / --provider-code / CREATIO_SSO_PROVIDER_CODE when given (undefined: derived from the client ID). */
  providerCode?: string | undefined;
  /** Creatio credentials from the environment / stdin; all absent: the half is skipped. */
  credentials: Pick<CreatioConnectInput, 'userName' | 'password' | 'oauthClientId' | 'oauthClientSecret' | 'identityUrl'>;
  /** Why the credentials are incomplete (e.g. a user name without a password), for the skip reason. */
  credentialsGap?: string | undefined;
  /** The Cognito app client secret (resolved), written into ClientSecret on insert or with `writeSecret`. */
  clientSecret?: string | undefined;
  /** §13: write ClientSecret on update too (--write-secret, or --create-client made a new client in this run). */
  writeSecret?: boolean;
  /** §10: whether the secret may be written into Creatio (the pool, and a custom domain, named outside the file). Absent: not. */
  secretTrust?: CreatioSecretTrust;
}

/**
 * Resolve the half's input from the command's settings and options (its input flags): the pin from
 * --creatio-url / CREATIO_SSO_CREATIO_URL, the given
 * provider code, and the credentials from the environment (or the password from stdin). Throws UsageError
 * for --creatio-password-stdin without a user name, or an unreadable stdin.
 */
export async function creatioHalfInput(
  settings: FileSettings,
  resolved: ResolvedConfig,
  opts: InputFlags & { creatioPasswordStdin?: boolean | undefined; writeSecret?: boolean | undefined },
  ctx: Context,
): Promise<CreatioHalfInput> {
  // The pin is what the flag or variable says, even when it equals the file (then it is no override, but still a pin).
  const pinnedUrl = settings.pinned.get('creatioUrl')?.value;
  const url = settings.inputs.get('creatioUrl');
  const overridden = settings.overridden.find((o) => o.key === 'creatio.url');
  const fileUrl = url?.source.kind === 'file' ? url.value : overridden?.values?.inFile;

  const env = (name: string): string | undefined => (ctx.env[name] === '' ? undefined : ctx.env[name]);
  const userName = env(CREATIO_ENV.userName);
  let password = env(CREATIO_ENV.password);
  if (opts.creatioPasswordStdin) {
    if (userName === undefined) throw new UsageError(`${CREATIO_PASSWORD_STDIN} needs the user name in ${CREATIO_ENV.userName}.`);
    password = await readCreatioPassword(ctx.stdin);
  }
  const oauthClientId = env(CREATIO_ENV.oauthClientId);
  const oauthClientSecret = env(CREATIO_ENV.oauthClientSecret);
  for (const secret of [password, oauthClientSecret]) if (secret !== undefined) ctx.output.addSecret(secret, { anyLength: true });

  let credentialsGap: string | undefined;
  if (userName !== undefined && password === undefined)
    credentialsGap = `${CREATIO_ENV.userName} is set but ${CREATIO_ENV.password} is not (or pipe the password with ${CREATIO_PASSWORD_STDIN})`;
  else if (userName === undefined && password !== undefined)
    credentialsGap = `${CREATIO_ENV.password} is set but ${CREATIO_ENV.userName} is not`;
  else if ((oauthClientId === undefined) !== (oauthClientSecret === undefined))
    credentialsGap = `set both ${CREATIO_ENV.oauthClientId} and ${CREATIO_ENV.oauthClientSecret}`;

  return {
    resolved,
    pinnedUrl,
    fileUrl,
    providerCode: settings.inputs.get('providerCode')?.value,
    credentials: { userName, password, oauthClientId, oauthClientSecret, identityUrl: env(CREATIO_ENV.identityUrl) },
    credentialsGap,
    clientSecret: settings.secret.value,
    writeSecret: Boolean(opts.writeSecret),
    secretTrust: creatioSecretTrustOf(settings, resolved),
  };
}

/** §10: whether the client secret may be written into Creatio (apply, rotate), from what the environment pinned. */
export const creatioSecretTrustOf = (settings: Pick<FileSettings, 'pinned'>, resolved: ResolvedConfig): CreatioSecretTrust =>
  creatioSecretTrust({ userPoolId: resolved.userPoolId, domainHost: resolved.domain.host, ...trustPins(settings) });

/** Why the half's credentials do not suffice to sign in (what to set), or undefined when they do (§13: fail closed). */
export function creatioCredentialsGap(input: CreatioHalfInput): string | undefined {
  const c = input.credentials;
  const forms = c.userName !== undefined && c.password !== undefined;
  const oauth = c.oauthClientId !== undefined && c.oauthClientSecret !== undefined;
  if (forms || oauth) return undefined;
  return input.credentialsGap ? `incomplete Creatio credentials: ${input.credentialsGap}` : NO_CREATIO_CREDENTIALS;
}

/**
 * §13: after `--create-client` made a new Cognito client in this run, the Creatio half works with that
 * client's ID and writes its secret (on update too).
 */
export const withCreatedClient = (input: CreatioHalfInput, created: { clientId: string; clientSecret: string }): CreatioHalfInput => ({
  ...input,
  resolved: { ...input.resolved, clientId: created.clientId },
  clientSecret: created.clientSecret,
  writeSecret: true,
});

/** The password from stdin: the whole input without the final line break (a pipe, never a terminal). */
export async function readCreatioPassword(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw new UsageError(`${CREATIO_PASSWORD_STDIN} reads the password from a pipe: printf %s "$PASSWORD" | creatio-sso …`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > 4096) throw new UsageError(`${CREATIO_PASSWORD_STDIN}: the input is longer than 4096 bytes. Pipe only the password.`);
    chunks.push(b);
  }
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (value === '') throw new UsageError(`${CREATIO_PASSWORD_STDIN}: stdin was empty. Pipe the Creatio password.`);
  return value;
}
