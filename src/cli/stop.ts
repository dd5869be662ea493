import { CancelledError, ExitError } from './errors.js';

/** Why the run stopped: the signal's CancelledError (a bare abort() counts as Ctrl-C). */
export const cancellation = (signal: AbortSignal): ExitError => (signal.reason instanceof ExitError ? signal.reason : new CancelledError());

/** Throw the cancellation when the run has been stopped. */
export function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancellation(signal);
}

/**
 * Settle like `work`, or reject with the cancellation as soon as `signal` aborts, for work that does
 * not listen itself (an injected lookup, a question). The work is not stopped, only no longer awaited.
 */
export function untilStopped<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(cancellation(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancellation(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
