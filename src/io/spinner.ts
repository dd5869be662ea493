import type { Output } from './output.js';

export interface Spinner {
  update(text: string): void;
  stop(final?: string): void;
}

/**
 * A spinner on stderr while something slow runs, only when stderr is a terminal; elsewhere one plain
 * line at the end (CI logs stay clean). yocto-spinner loads only when a spinner is shown.
 */
export async function startSpinner(output: Output, text: string): Promise<Spinner> {
  if (!output.errIsTTY) {
    return { update: () => {}, stop: (final) => final && output.err(`${final}\n`) };
  }
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text, stream: process.stderr }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    stop: (final) => {
      spinner.stop();
      if (final) output.err(`${final}\n`);
    },
  };
}
