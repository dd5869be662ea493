import type { Output } from './output.js';

export interface Spinner {
  update(text: string): void;
  stop(final?: string): void;
}

/**
 * A spinner on stderr while something slow runs, only when stderr is a terminal; elsewhere one plain
 * line at the end (CI logs stay clean). yocto-spinner loads only when a spinner is shown.
 *
 * Ctrl-C while it spins: the spinner stops (the cursor comes back); when no other SIGINT handler
 * guards the run (init installs one), the run ends with exit 130. yocto-spinner's own handler is off:
 * it would exit at once and skip the "nothing was written" message.
 */
export async function startSpinner(output: Output, text: string, stream: NodeJS.WritableStream = process.stderr): Promise<Spinner> {
  if (!output.errIsTTY) {
    return { update: () => {}, stop: (final) => final && output.err(`${final}\n`) };
  }
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text, stream: stream as NodeJS.WriteStream, handleSignals: false }).start();
  const onInterrupt = () => {
    spinner.stop();
    if (process.listenerCount('SIGINT') === 1) {
      output.err('Cancelled: nothing was written.\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  return {
    update: (t) => {
      spinner.text = t;
    },
    stop: (final) => {
      process.off('SIGINT', onInterrupt);
      spinner.stop();
      if (final) output.err(`${final}\n`);
    },
  };
}
