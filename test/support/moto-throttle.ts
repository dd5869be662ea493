import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Cognito's rate limits in front of moto (SPEC §17, §11), which has none: a token bucket per category
 * (per account: one stand-in is one account) and one per pool × operation, each refilled every second
 * with a burst of one second's worth. Beyond a bucket: HTTP 400
 * `{"__type":"TooManyRequestsException","message":"Too many requests"}`, and moto never sees the call.
 * Written from the SPEC's table, not from the client: the client cannot know these limits.
 *
 * `timeScale` speeds the clock up for tests (10 = ten times as many requests a second as the limits say);
 * the bench uses 1 and the real limits.
 */
export type Category = 'UserPoolRead' | 'UserPoolClientRead' | 'UserPoolClientUpdate';

/** §17's category table; an operation it does not name is not limited (moto answers as it would). */
export const CATEGORY_OF: Readonly<Record<string, Category>> = {
  DescribeUserPool: 'UserPoolRead',
  DescribeUserPoolDomain: 'UserPoolRead',
  DescribeManagedLoginBrandingByClient: 'UserPoolRead',
  DescribeUserPoolClient: 'UserPoolClientRead',
  ListUserPoolClientSecrets: 'UserPoolClientRead',
  UpdateUserPoolClient: 'UserPoolClientUpdate',
  CreateUserPoolClient: 'UserPoolClientUpdate',
  AddUserPoolClientSecret: 'UserPoolClientUpdate',
  DeleteUserPoolClientSecret: 'UserPoolClientUpdate',
};

export interface ThrottleOptions {
  /** Requests a second per category (default 15). */
  perCategory?: number;
  /** Requests a second per pool × operation (default 5). */
  perPoolOperation?: number;
  /** How much faster than real time the buckets refill (default 1). */
  timeScale?: number;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

export interface ThrottleStandIn {
  url: string;
  /** Answers given per category: `ok` passed to moto, `throttled` refused here; with the (scaled) second of each. */
  log: { op: string; category: Category | undefined; pool: string; throttled: boolean; at: number }[];
  throttledCount(): number;
  close(): Promise<void>;
}

class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = rate;
    this.last = now;
  }
  /** Refill for the time passed (a burst of one second's worth at most): is there a token? */
  has(now: number): boolean {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    return this.tokens >= 1;
  }
  take(): void {
    this.tokens -= 1;
  }
}

export async function startThrottle(upstream: string, options: ThrottleOptions = {}): Promise<ThrottleStandIn> {
  const perCategory = options.perCategory ?? 15;
  const perPoolOperation = options.perPoolOperation ?? 5;
  const scale = options.timeScale ?? 1;
  const clock = options.now ?? (() => performance.now());
  const started = clock();
  /** Scaled milliseconds since the start: the buckets' own time. */
  const now = () => (clock() - started) * scale;
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string, rate: number) => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = new Bucket(rate, now())));
    return b;
  };
  const target = new URL(upstream);
  const log: ThrottleStandIn['log'] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop()!;
      const category = CATEGORY_OF[op];
      let pool = '';
      try {
        // DescribeUserPoolDomain names the domain, not its pool: the domain stands for its pool (a pool has at most two).
        const named = JSON.parse(body.toString('utf8') || '{}') as { UserPoolId?: unknown; Domain?: unknown };
        pool = String(named.UserPoolId ?? named.Domain ?? '');
      } catch {
        // not JSON: moto answers it
      }
      if (category) {
        const t = now();
        // A call needs a token in both buckets, and a refused call takes none.
        const byCategory = bucket(`c:${category}`, perCategory);
        const byPool = bucket(`p:${pool}:${op}`, perPoolOperation);
        const allowed = byCategory.has(t) && byPool.has(t);
        if (allowed) {
          byCategory.take();
          byPool.take();
        }
        log.push({ op, category, pool, throttled: !allowed, at: t });
        if (!allowed) {
          res
            .writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'TooManyRequestsException' })
            .end(JSON.stringify({ __type: 'TooManyRequestsException', message: 'Too many requests' }));
          return;
        }
      }
      const up = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
      up.end(body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    throttledCount: () => log.filter((l) => l.throttled).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
