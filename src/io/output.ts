import type { ChalkInstance } from 'chalk';
import { createRequire } from 'node:module';
import { composed, isComposed, maskSecrets, shown, visibleStream, type Shown, type ShownPart } from '../core/text.js';

/**
 * The only way the tool writes to the terminal. stdout carries results, stderr everything else.
 * Every write passes through the redactor, so a secret registered here can never reach the screen,
 * a log or a JSON document, even through a message that quoted it by mistake.
 */
export interface Output {
  /**
   * Results: prose, JSON documents, file contents for --dry-run. Only composed text (`Shown`: made by the
   * `shown` tag and its kin in core/text.ts, which escape every outside value), so a raw value cannot be
   * printed by mistake.
   */
  out(text: Shown): void;
  /** Messages, warnings, spinners, progress: composed text only, as for `out`. */
  err(text: Shown): void;
  /** Colours for stdout text: a style over composed text is composed text; a raw value is escaped first. */
  color: Paint;
  /** Colours for stderr text. */
  errColor: Paint;
  /** chalk itself, for what is drawn outside the writer (the prompts' theme, which escapes what it is given). */
  chalk: ChalkInstance;
  errChalk: ChalkInstance;
  verbose: boolean;
  /** stderr is a terminal (spinners and progress only then). */
  errIsTTY: boolean;
  /** Width that prose on stdout / stderr wraps at (wrapProse): the terminal's columns, 80 when it has none. */
  outColumns: number;
  errColumns: number;
  /**
   * Register a secret value: it is masked in everything written from now on, with its encoded forms
   * (core/text.ts encodedForms: base64, URL- and form-encoded, JSON, and any base64 text that decodes to
   * something holding it, such as the HTTP Basic `base64(clientId:secret)`). A password (`anyLength`) is
   * masked whatever its length, a short one where it stands as a whole token (§10); any other value under
   * 8 characters is ignored (see createOutput).
   */
  addSecret(value: string, options?: { anyLength?: boolean }): void;
  redact(text: string): string;
}

export interface OutputOptions {
  color: boolean;
  verbose: boolean;
  /** The streams and environment come from cli.ts (the process's) or a test, never from `process` here. */
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Whether stderr is a terminal, when the caller can tell without building the stream (main.ts: fd 2).
   * Then `stderr` is read only when something is written to it: a run that succeeds quietly never
   * builds process.stderr (a socket when it is a pipe). Absent: `stderr.isTTY`.
   */
  stderrIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
  /** chalk's constructor, loaded by the caller only when a stream gets colour (see loadChalkFor). */
  Chalk?: new (options: { level: 0 | 1 | 2 | 3 }) => ChalkInstance;
}

type Style = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'dim' | 'bold' | 'underline';
/**
 * chalk as the writer's colours: every style takes composed text (`Shown`) and gives composed text, and
 * escapes (core/text.ts `visible`) whatever else it is given, so colouring never lets a raw value through.
 */
export type Paint = { readonly [K in Style]: Paint } & ((text: ShownPart) => Shown);

export function paintOf(c: ChalkInstance): Paint {
  return new Proxy(((text: ShownPart) => composed(c(shown`${text}`))) as Paint, {
    get: (_target, prop) =>
      typeof prop === 'symbol' || prop === 'then' ? undefined : paintOf((c as unknown as Record<string, ChalkInstance>)[prop]!),
  });
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
  const coloured = colorLevel(options.stdout, options.color, env) > 0 || colorLevel({ isTTY: errIsTTYOf(options) }, options.color, env) > 0;
  if (!coloured) return options;
  // A copy that keeps `stderr` as the caller gave it (a getter stays a getter).
  const withChalk = Object.defineProperties({}, Object.getOwnPropertyDescriptors(options)) as OutputOptions;
  withChalk.Chalk = (await import('chalk')).Chalk;
  return withChalk;
}

const errIsTTYOf = (options: OutputOptions): boolean => options.stderrIsTTY ?? Boolean(options.stderr.isTTY);

export function colorLevel(stream: { isTTY?: boolean }, wanted: boolean, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (!wanted || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return 0;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' ? 0 : 1;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}

export function createOutput(options: OutputOptions): Output {
  const { stdout, env } = options;
  const secrets = new Set<string>();
  const paint = (level: 0 | 1 | 2 | 3) => (level > 0 && options.Chalk ? new options.Chalk({ level }) : plain);
  const redact = (text: string): string => maskSecrets(text, secrets);
  const outColour = colorLevel(stdout, options.color, env);
  const errIsTTY = errIsTTYOf(options);
  const errColour = colorLevel({ isTTY: errIsTTY }, options.color, env);
  return {
    // Last line of defence (§10): values are made visible where they are formatted; here whatever slipped
    // through loses its control characters, except line breaks and our own colours.
    out: (text) => void stdout.write(visibleStream(redact(text), outColour > 0)),
    err: (text) => void options.stderr.write(visibleStream(redact(text), errColour > 0)),
    color: paintOf(paint(outColour)),
    errColor: paintOf(paint(errColour)),
    chalk: paint(outColour),
    errChalk: paint(errColour),
    verbose: options.verbose,
    errIsTTY,
    outColumns: columnsOf(stdout),
    errColumns: options.stderrIsTTY === false ? DEFAULT_COLUMNS : columnsOf(options.stderr),
    // A short value is masked where it stands as a whole token (maskSecrets), so it does not eat ordinary words.
    // Without `anyLength` a value under 8 characters is ignored: a short "client secret" a config file names
    // (no Cognito secret has fewer than 24) must not mask `1` or `error` all over the report.
    addSecret: (value, opts) => {
      if (value === '' || (value.length < 8 && !opts?.anyLength)) return;
      secrets.add(value);
    },
    redact,
  };
}

/** Prose wraps at this width when the stream does not say its own (a pipe, a file, CI logs). */
export const DEFAULT_COLUMNS = 80;
/** Narrower than this, wrapping makes text harder to read, not easier. */
const MIN_COLUMNS = 40;

/** The width prose is wrapped to on `stream`: its terminal's columns, else DEFAULT_COLUMNS. */
export function columnsOf(stream: { columns?: number; isTTY?: boolean }): number {
  const n = stream.columns;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.max(MIN_COLUMNS, Math.floor(n)) : DEFAULT_COLUMNS;
}

/**
 * The one place prose is wrapped: at word boundaries to `columns`, each continuation line starting with
 * `indent` spaces. A word longer than a line (a URL, a path) is never broken: it gets a line of its own,
 * so it stays copyable and clickable. Line breaks in `text` are kept. Colours (ANSI) do not count as width.
 * Machine formats (JSON, GitHub workflow commands) and file contents never come here.
 */
export function wrapProse<T extends string>(text: T, columns: number, indent = 0): T {
  const wrapped = wrapText(text, columns, indent);
  // Composed text stays composed: the rows it is cut into, and the indent, are the tool's own.
  return (isComposed(text) ? composed(wrapped) : wrapped) as T;
}

function wrapText(text: string, columns: number, indent: number): string {
  const width = Math.max(MIN_COLUMNS - indent, columns - indent);
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => {
      const lead = /^ */.exec(line)![0];
      const wrapped = wrapLine(line.slice(lead.length), width - lead.length);
      return wrapped
        .split('\n')
        .map((l, i) => (i === 0 ? lead + l : pad + lead + l))
        .join('\n');
    })
    .join('\n');
}

/**
 * Characters one column wide in every terminal (as string-width measures them): printable ASCII, Latin-1
 * and Latin Extended letters (not the soft hyphen, which shows nothing), general punctuation (— – … ‘ ’ “ ”),
 * arrows, and the marks our messages start with (✔ ✖ ⚠). Nearly every message is made of these.
 */
const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2713-\u2718\u26a0]*$/;

/**
 * One line wrapped at word boundaries to `width`, trimmed, a word longer than the line on a line of its
 * own. Text of one-column characters (NARROW: nearly every message) is wrapped here; anything else —
 * colours, wide or combining characters — by wrap-ansi, which measures what a terminal shows. wrap-ansi
 * loads on first use: its string-width builds an Intl.Segmenter and Unicode property patterns when it
 * loads, ~30 ms that a run whose lines are plain never pays. A property test holds both to the same answers on NARROW text.
 */
export function wrapLine(line: string, width: number): string {
  // A quoted value (an outside value inside prose, §10) is never broken at its own spaces: they are held
  // as a private-use character while the line is cut, so the value stays whole on one row.
  const held = line.replace(QUOTED, (q) => q.replace(/ /g, HELD_SPACE));
  const wrapped = NARROW.test(line) ? wrapNarrow(held, width) : loadWrapAnsi()(held, width, { hard: false, trim: true, wordWrap: true });
  return wrapped.replace(/\uE000/g, ' ');
}

/** A double-quoted value as quote() writes it (JSON string escapes inside). */
const QUOTED = /"(?:[^"\\\n]|\\.)*"/g;
const HELD_SPACE = '\uE000';

/** wrapLine for one-column text: every character counts one column. */
function wrapNarrow(line: string, width: number): string {
  if (line.trim() === '') return '';
  const rows = [''];
  for (const [i, word] of line.split(' ').entries()) {
    let row = rows[rows.length - 1]!.trimStart();
    if (i > 0 && row.length > 0) row += ' ';
    if (row.length + word.length > width && row.length > 0 && word.length > 0) {
      rows[rows.length - 1] = row;
      row = '';
      rows.push(row);
    }
    rows[rows.length - 1] = row + word;
  }
  // Only spaces are trimmed at the end of a row, as wrap-ansi does (a no-break space stays).
  return rows.map((r) => r.replace(/ +$/, '')).join('\n');
}

type WrapAnsi = (text: string, columns: number, options: { hard: boolean; trim: boolean; wordWrap: boolean }) => string;
let wrapAnsi: WrapAnsi | undefined;
/**
 * wrap-ansi is an ES module: Node ≥ 22.12 (our engines) loads it with require(), so wrapping stays
 * synchronous (the bundle holds its own copy: scripts/bundle.mjs). A Node started with
 * --no-experimental-require-module (NODE_OPTIONS) cannot load it from node_modules: the text is
 * then wrapped as one-column text (colours and wide characters measured by their length), not lost in a crash.
 */
const loadWrapAnsi = (): WrapAnsi => (wrapAnsi ??= requireWrapAnsi());
function requireWrapAnsi(): WrapAnsi {
  try {
    return (createRequire(import.meta.url)('wrap-ansi') as { default: WrapAnsi }).default;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw e;
    return (text, columns) => wrapNarrow(text, columns);
  }
}
