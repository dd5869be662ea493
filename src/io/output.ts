import type { ChalkInstance } from 'chalk';

/**
 * The only way the tool writes to the terminal. stdout carries results, stderr everything else.
 * Every write passes through the redactor, so a secret registered here can never reach the screen,
 * a log or a JSON document, even through a message that quoted it by mistake.
 */
export interface Output {
  /** Results: prose, JSON documents, file contents for --dry-run. */
  out(text: string): void;
  /** Messages, warnings, spinners, progress. */
  err(text: string): void;
  /** Colours for stdout text. */
  color: ChalkInstance;
  /** Colours for stderr text. */
  errColor: ChalkInstance;
  verbose: boolean;
  /** stderr is a terminal (spinners and progress only then). */
  errIsTTY: boolean;
  /** Register a secret value: it is masked in everything written from now on. */
  addSecret(value: string): void;
  redact(text: string): string;
}

export const SECRET_MASK = '********';

export interface OutputOptions {
  color: boolean;
  verbose: boolean;
  /** The streams and environment come from cli.ts (the process's) or a test, never from `process` here. */
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** chalk's constructor, loaded by the caller only when a stream gets colour (see loadChalkFor). */
  Chalk?: new (options: { level: 0 | 1 | 2 | 3 }) => ChalkInstance;
}

/** chalk's identity twin: every style, chained or called, returns the text unchanged. */
const plain: ChalkInstance = new Proxy(((...text: unknown[]) => text.join(' ')) as unknown as ChalkInstance, {
  // Not a thenable and no symbol protocols: only style names chain.
  get: (_target, prop) => (prop === 'level' ? 0 : prop === 'then' || typeof prop === 'symbol' ? undefined : plain),
});

/**
 * Load chalk only when some output will be coloured: most runs (pipes, CI, NO_COLOR, --help) never
 * pay for it, and it is a fifth of start-up.
 */
export async function loadChalkFor(options: OutputOptions): Promise<OutputOptions> {
  const { env } = options;
  const coloured = colorLevel(options.stdout, options.color, env) > 0 || colorLevel(options.stderr, options.color, env) > 0;
  return coloured ? { ...options, Chalk: (await import('chalk')).Chalk } : options;
}

export function colorLevel(stream: { isTTY?: boolean }, wanted: boolean, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (!wanted || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return 0;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' ? 0 : 1;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}

export function createOutput(options: OutputOptions): Output {
  const { stdout, stderr, env } = options;
  const secrets = new Set<string>();
  const paint = (level: 0 | 1 | 2 | 3) => (level > 0 && options.Chalk ? new options.Chalk({ level }) : plain);
  const redact = (text: string): string => {
    let t = text;
    for (const s of secrets) t = t.split(s).join(SECRET_MASK);
    return t;
  };
  return {
    out: (text) => void stdout.write(redact(text)),
    err: (text) => void stderr.write(redact(text)),
    color: paint(colorLevel(stdout, options.color, env)),
    errColor: paint(colorLevel(stderr, options.color, env)),
    verbose: options.verbose,
    errIsTTY: Boolean(stderr.isTTY),
    addSecret: (value) => {
      // Short values would mask ordinary words; Cognito secrets have at least 24 characters.
      if (value.length >= 8) secrets.add(value);
    },
    redact,
  };
}
