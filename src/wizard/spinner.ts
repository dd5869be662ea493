import type { Output } from '../io/output.js';
import type { Spinner } from '../io/spinner.js';

/**
 * init's spinner: io/spinner.ts's behaviour (a spinner on stderr only when stderr is a terminal, one
 * plain line otherwise), except that SIGINT is left to init's interrupt guard. yocto-spinner's own
 * handler calls process.exit(130) at once, which would skip the "nothing was written" message.
 * `stopAll` stops whatever still spins when the run ends early (Ctrl-C during the lookup).
 */
export interface Spinners {
  start(text: string): Promise<Spinner>;
  stopAll(): void;
}

export function spinners(output: Output, stream: NodeJS.WritableStream = process.stderr): Spinners {
  const active = new Set<Spinner>();
  return {
    async start(text) {
      if (!output.errIsTTY) return { update: () => {}, stop: (final) => final && output.err(`${final}\n`) };
      const { default: yoctoSpinner } = await import('yocto-spinner');
      const spinner = yoctoSpinner({ text, stream: stream as NodeJS.WriteStream, handleSignals: false }).start();
      const handle: Spinner = {
        update: (t) => {
          spinner.text = t;
        },
        stop: (final) => {
          active.delete(handle);
          spinner.stop();
          if (final) output.err(`${final}\n`);
        },
      };
      active.add(handle);
      return handle;
    },
    stopAll: () => {
      for (const s of [...active]) s.stop();
    },
  };
}
