import type { Output } from '../io/output.js';
import { startSpinner, type Spinner } from '../io/spinner.js';

/**
 * init's spinners: io/spinner.ts's, tracked so that `stopAll` stops whatever still spins when the run
 * ends early (Ctrl-C during the lookup is handled by init's interrupt guard).
 */
export interface Spinners {
  start(text: string): Promise<Spinner>;
  stopAll(): void;
}

export function spinners(output: Output, stream: NodeJS.WritableStream = process.stderr): Spinners {
  const active = new Set<Spinner>();
  return {
    async start(text) {
      const spinner = await startSpinner(output, text, stream);
      const handle: Spinner = {
        update: (t) => spinner.update(t),
        stop: (final) => {
          active.delete(handle);
          spinner.stop(final);
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
