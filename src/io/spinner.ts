import type { Context } from '../context.js';

export interface Spinner {
  update(text: string): void;
  stop(final?: string): void;
}

/**
 * A spinner on stderr while something slow runs, only when stderr is a terminal; elsewhere one plain
 * line at the end (CI logs stay clean). yocto-spinner loads only when a spinner is shown.
 *
 * When the run is stopped (ctx.signal: Ctrl-C, SIGTERM, SIGHUP) the spinner stops by itself, so the
 * line is cleared and the cursor comes back before cli.ts says why the run ended. yocto-spinner's own
 * signal handling is off: it would exit the process at once and skip the rollback and the message.
 */
export async function startSpinner(ctx: Pick<Context, 'output' | 'stderr' | 'signal'>, text: string): Promise<Spinner> {
  const { output, signal } = ctx;
  if (!output.errIsTTY) {
    return { update: () => {}, stop: (final) => final && output.err(`${final}\n`) };
  }
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text, stream: ctx.stderr as NodeJS.WriteStream, handleSignals: false }).start();
  let stopped = false;
  const halt = () => {
    if (stopped) return;
    stopped = true;
    signal.removeEventListener('abort', halt);
    spinner.stop();
  };
  if (signal.aborted) halt();
  else signal.addEventListener('abort', halt, { once: true });
  return {
    update: (t) => {
      if (!stopped) spinner.text = t;
    },
    stop: (final) => {
      halt();
      if (final) output.err(`${final}\n`);
    },
  };
}
