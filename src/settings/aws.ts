/**
 * How a command reaches the AWS API (§11), decided once from --aws, --aws-profile and the environment:
 * part of the settings, so nothing below the command reads those flags or variables again.
 */
export interface AwsSettings {
  /** Use the AWS API: asked for by flag, or the environment names credentials. A [default] profile alone does not count. */
  readonly wanted: boolean;
  /** Asked for by flag (--aws or --aws-profile): missing credentials are then a usage error (§3). */
  readonly asked: boolean;
  /** --aws: when nothing names credentials, the [default] profile and the instance metadata may be tried. */
  readonly explicit: boolean;
  /** --aws-profile (AWS_PROFILE the client reads from the environment itself). */
  readonly profile?: string;
}

/** The flags that decide it (`--aws`, `--aws-profile <name>`). */
export interface AwsFlags {
  readonly aws?: boolean | undefined;
  readonly awsProfile?: string | undefined;
}

const isSet = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

export function awsSettingsOf(flags: AwsFlags, env: NodeJS.ProcessEnv): AwsSettings {
  const asked = flags.aws === true || isSet(flags.awsProfile);
  const named =
    isSet(env.AWS_PROFILE) ||
    isSet(env.AWS_ACCESS_KEY_ID) ||
    isSet(env.AWS_WEB_IDENTITY_TOKEN_FILE) ||
    Object.keys(env).some((name) => name.startsWith('AWS_CONTAINER_CREDENTIALS_') && isSet(env[name]));
  return {
    wanted: asked || named,
    asked,
    explicit: flags.aws === true,
    ...(flags.awsProfile !== undefined ? { profile: flags.awsProfile } : {}),
  };
}

/** The flag that asked for the AWS API, for a message: `--aws-profile NAME` or `--aws`. */
export const awsAskedBy = (aws: AwsSettings): string => (aws.profile ? `--aws-profile ${aws.profile}` : '--aws');

/** How to give AWS credentials, for a skipped Cognito half. */
export const AWS_HOW =
  'no AWS credentials in the environment: pass --aws-profile <name> (or --aws for the [default] profile or an instance role), or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
