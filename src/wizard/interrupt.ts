import { CancelledError } from '../errors.js';

/**
 * Ctrl-C outside a prompt (during the live lookup, between questions, in a non-interactive run)
 * arrives as SIGINT. Until writing starts it cancels the run (exit 130, nothing written); once the
 * files are being written it is held until they are all in place, so no half set of files is left.
 * Inside a prompt the terminal is in raw mode and inquirer reports Ctrl-C itself (see prompts.ts).
 */
export interface InterruptGuard {
  /** Settles like `work`, or rejects with CancelledError as soon as SIGINT arrives. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Run the writing: SIGINT waits for it to finish. */
  whileWriting<T>(write: () => Promise<T>): Promise<T>;
  /** SIGINT arrived while writing. */
  readonly interruptedWhileWriting: boolean;
  dispose(): void;
}

type SignalSource = Pick<NodeJS.Process, 'on' | 'removeListener'>;

export function guardInterrupts(source: SignalSource = process): InterruptGuard {
  let cancel!: (e: Error) => void;
  const cancelled = new Promise<never>((_, reject) => (cancel = reject));
  // Nobody may be racing when the signal comes; the next race() sees the rejection.
  cancelled.catch(() => {});
  let writing = false;
  let interruptedWhileWriting = false;
  const onSigint = () => {
    if (writing) interruptedWhileWriting = true;
    else cancel(new CancelledError());
  };
  source.on('SIGINT', onSigint);
  return {
    race: (work) => Promise.race([work, cancelled]),
    async whileWriting(write) {
      writing = true;
      try {
        return await write();
      } finally {
        writing = false;
      }
    },
    get interruptedWhileWriting() {
      return interruptedWhileWriting;
    },
    dispose: () => void source.removeListener('SIGINT', onSigint),
  };
}
