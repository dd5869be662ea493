/** A loopback server a test can point at new answers without starting another. */
export interface Resettable<O> {
  reset(options: O): void;
  close(): Promise<void>;
}

export interface ServerPool<O, S> {
  /** An idle server of the right kind reset to `options`, or a new one. */
  take(options: O): Promise<S>;
  /** Every server taken since the last release is idle again (afterEach); open connections are cut. */
  release(): void;
  /** Close them all (afterAll). */
  close(): Promise<void>;
}

/**
 * Servers started once per test file and reused by its tests: starting a server per test is what
 * made files slow, and later work (moto, a Creatio stand-in) has to fit in the same time budget.
 * `kind` separates servers that cannot be reset into each other (http and https).
 */
export function serverPool<O, S extends Resettable<O>>(
  start: (options: O) => Promise<S>,
  kind: (options: O) => string = () => '',
): ServerPool<O, S> {
  const idle: Array<{ kind: string; server: S; options: O }> = [];
  const busy: Array<{ kind: string; server: S; options: O }> = [];
  return {
    async take(options) {
      const k = kind(options);
      const i = idle.findIndex((e) => e.kind === k);
      let entry = i >= 0 ? idle.splice(i, 1)[0] : undefined;
      if (entry) entry.server.reset(options);
      else entry = { kind: k, server: await start(options), options };
      busy.push(entry);
      return entry.server;
    },
    release() {
      for (const e of busy.splice(0)) {
        // Back to the options it started with; the next take() sets its own.
        e.server.reset(e.options);
        idle.push(e);
      }
    },
    async close() {
      await Promise.all([...idle.splice(0), ...busy.splice(0)].map((e) => e.server.close()));
    },
  };
}
