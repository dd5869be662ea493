import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A real forwarding proxy on 127.0.0.1, the kind HTTPS_PROXY / HTTP_PROXY point at: CONNECT tunnels
 * (https targets) and absolute-form requests (http targets). It records what passed through, so a test
 * can tell that a request really took the proxy (or, with NO_PROXY, did not).
 */
export interface ProxyPassage {
  kind: 'connect' | 'forward';
  /** `host:port` for CONNECT, the absolute URL for a forwarded request. */
  target: string;
}

export interface ProxyOptions {
  /** Answer CONNECT with this status instead of opening the tunnel (e.g. 403, 407). */
  refuseConnect?: number;
  /**
   * Where a CONNECT target goes: a loopback `[host, port]`, or undefined to refuse it (403). Lets a test give a
   * public name (`auth.attacker.example:443`) a loopback server without DNS, and no packet leaves the machine.
   * Absent: the target itself.
   */
  route?: (host: string, port: number) => [host: string, port: number] | undefined;
}

export interface TestProxy {
  /** The URL to put in HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  passages: ProxyPassage[];
  connects(): number;
  forwards(): number;
  close(): Promise<void>;
}

export async function startProxy(options: ProxyOptions = {}): Promise<TestProxy> {
  const passages: ProxyPassage[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };

  const server = createServer((req, res) => {
    // Absolute-form: `GET http://host:port/path HTTP/1.1`.
    const target = req.url ?? '';
    if (!/^http:\/\//i.test(target)) {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    passages.push({ kind: 'forward', target });
    const u = new URL(target);
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = httpRequest(
      { host: u.hostname, port: u.port || 80, path: u.pathname + u.search, method: req.method, headers },
      (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('socket', track);
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('bad gateway');
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    const target = req.url ?? '';
    passages.push({ kind: 'connect', target });
    if (options.refuseConnect) {
      client.end(`HTTP/1.1 ${options.refuseConnect} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const routed = options.route ? options.route(...splitHostPort(target)) : splitHostPort(target);
    if (!routed) {
      client.end('HTTP/1.1 403 Not routed\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = routed;
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  server.on('connection', track);
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    passages,
    connects: () => passages.filter((p) => p.kind === 'connect').length,
    forwards: () => passages.filter((p) => p.kind === 'forward').length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function splitHostPort(target: string): [string, number] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return m ? [m[1]!, Number(m[2])] : [target, 443];
}
