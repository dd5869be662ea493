import { createServer, type AddressInfo } from 'node:net';

/** A loopback port where nothing listens (bound, then released): a host that refuses connections. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
