import { createHmac, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Cognito's client-secret operations in front of moto (SPEC §11, §16), which has none of them:
 * `ListUserPoolClientSecrets`, `AddUserPoolClientSecret`, `DeleteUserPoolClientSecret`. Written from the
 * SPEC and Cognito's API reference, not from the tool's client:
 * - a client keeps at most two secrets, each `{ ClientSecretId: "<clientId>--<epoch>", ClientSecretCreateDate }`;
 *   a third is `LimitExceededException`, deleting the last one `InvalidParameterException`, an unknown id
 *   `ResourceNotFoundException`; a client created without a secret (public) cannot get one;
 * - `DescribeUserPoolClient` shows only the client's *original* secret in `ClientSecret`, and none once the
 *   original was deleted (the client still has a secret);
 * - values are never listed, only returned once by `AddUserPoolClientSecret`;
 * - `InitiateAuth` and `AdminInitiateAuth` accept a `SECRET_HASH` made with any current secret of the client
 *   and refuse one made with a deleted (or any other) secret as Cognito does: `NotAuthorizedException`
 *   "Unable to verify secret hash for client <id>" (moto checks no SECRET_HASH for the password flows, and
 *   would know only the original secret): an accepted hash is rewritten to the one of moto's own secret
 *   before the request goes on, so moto signs the user in as it would have.
 * Everything else goes to moto unchanged. `secretsOf` lets a test (and the hosted-UI stand-in's token
 * endpoint) know which values are current.
 */
export interface ClientSecretRecord {
  id: string;
  value: string;
  /** Epoch seconds. */
  created: number;
  original: boolean;
}

export interface SecretsStandIn {
  url: string;
  /** The client's current secrets, oldest first; undefined before the stand-in has seen the client. */
  secretsOf(clientId: string): readonly ClientSecretRecord[] | undefined;
  /** Forget every client (with moto's reset). */
  reset(): void;
  close(): Promise<void>;
}

interface AwsError {
  status: number;
  type: string;
  message: string;
}

export async function startSecretsStandIn(
  motoEndpoint: string,
  now: () => number = () => Math.floor(Date.now() / 1000),
): Promise<SecretsStandIn> {
  const target = new URL(motoEndpoint);
  /** Per client ID: its secrets (the ids are unique across pools in practice, as Cognito's client IDs are). */
  const clients = new Map<string, ClientSecretRecord[]>();
  /** Per client ID: the secret moto itself stores (the original, which moto keeps after the stand-in deleted it). */
  const motoSecrets = new Map<string, string>();
  /** Every pool ID seen in a request or a CreateUserPool answer (InitiateAuth names none). */
  const pools = new Set<string>();
  /**
   * A request of the stand-in's own about a pool: moto picks the region from the credential scope of the
   * Authorization header (an unsigned InitiateAuth has none), so name the pool's region there.
   */
  const headersFor = (headers: IncomingHttpHeaders, poolId: string): IncomingHttpHeaders => {
    const region = poolId.split('_')[0] ?? 'us-east-1';
    return {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20200101/${region}/cognito-idp/aws4_request, SignedHeaders=host, Signature=0`,
    };
  };
  const sockets = new Set<Socket>();

  const forward = (method: string, url: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      // The body may not be the one the headers came with (a request of our own): its length is set anew.
      const sent = { ...headers, 'content-length': String(body.length) };
      delete sent['transfer-encoding'];
      const up = httpRequest({ host: target.hostname, port: target.port, path: url, method, headers: sent }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(parts) }));
        res.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  /** moto's view of the client: its original secret (or none), as the stand-in first meets it. */
  async function secretsFor(headers: IncomingHttpHeaders, poolId: string, clientId: string): Promise<ClientSecretRecord[] | AwsError> {
    const known = clients.get(clientId);
    if (known) return known;
    const described = await forward(
      'POST',
      '/',
      { ...headersFor(headers, poolId), 'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPoolClient' },
      Buffer.from(JSON.stringify({ UserPoolId: poolId, ClientId: clientId })),
    );
    if (described.status !== 200) return { status: 400, type: 'ResourceNotFoundException', message: `Client ${clientId} does not exist.` };
    const client = (JSON.parse(described.body.toString('utf8')) as { UserPoolClient?: { ClientSecret?: string; CreationDate?: number } })
      .UserPoolClient;
    const created = Math.floor(client?.CreationDate ?? now());
    const list: ClientSecretRecord[] = client?.ClientSecret
      ? [{ id: `${clientId}--${created}`, value: client.ClientSecret, created, original: true }]
      : [];
    if (client?.ClientSecret) motoSecrets.set(clientId, client.ClientSecret);
    clients.set(clientId, list);
    return list;
  }

  /**
   * InitiateAuth names no pool (and, unsigned, no region): the pool among those seen through the stand-in
   * that holds the client, asked of moto itself.
   */
  async function poolOf(headers: IncomingHttpHeaders, clientId: string): Promise<string | undefined> {
    for (const id of pools) {
      const described = await forward(
        'POST',
        '/',
        { ...headersFor(headers, id), 'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPoolClient' },
        Buffer.from(JSON.stringify({ UserPoolId: id, ClientId: clientId })),
      );
      if (described.status === 200) return id;
    }
    return undefined;
  }

  const hashOf = (secret: string, username: string, clientId: string) =>
    createHmac('sha256', secret)
      .update(username + clientId, 'utf8')
      .digest('base64');

  /**
   * InitiateAuth / AdminInitiateAuth: the SECRET_HASH judged against the client's current secrets. The body
   * to pass on (its hash made with moto's own secret), or Cognito's refusal. A client the stand-in cannot
   * place, a public client, or a flow without USERNAME goes on unchanged (moto answers).
   */
  async function checkSecretHash(op: string, body: Buffer, headers: IncomingHttpHeaders): Promise<Buffer | AwsError> {
    const input = JSON.parse(body.toString('utf8') || '{}') as {
      ClientId?: string;
      UserPoolId?: string;
      AuthParameters?: Record<string, string>;
    };
    const clientId = String(input.ClientId ?? '');
    const params = input.AuthParameters;
    if (!clientId || typeof params?.USERNAME !== 'string') return body;
    let secrets = clients.get(clientId);
    if (!secrets) {
      const poolId = op === 'AdminInitiateAuth' ? String(input.UserPoolId ?? '') : await poolOf(headers, clientId);
      if (poolId === undefined) return body;
      const found = await secretsFor(headers, poolId, clientId);
      if (isError(found)) return body;
      secrets = found;
    }
    if (secrets.length === 0) return body;
    const given = params.SECRET_HASH;
    if (given === undefined || given === '') {
      return {
        status: 400,
        type: 'NotAuthorizedException',
        message: `Client ${clientId} is configured for secret but secret was not received`,
      };
    }
    if (!secrets.some((s) => hashOf(s.value, params.USERNAME!, clientId) === given)) {
      return { status: 400, type: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` };
    }
    const own = motoSecrets.get(clientId);
    const rewritten = {
      ...input,
      AuthParameters: { ...params, ...(own !== undefined ? { SECRET_HASH: hashOf(own, params.USERNAME, clientId) } : {}) },
    };
    return Buffer.from(JSON.stringify(rewritten));
  }

  /** The UserPoolId a JSON request names, if it is JSON and names one. */
  const poolIdIn = (body: Buffer): string | undefined => {
    try {
      const id = (JSON.parse(body.toString('utf8')) as { UserPoolId?: unknown } | null)?.UserPoolId;
      return typeof id === 'string' && id !== '' ? id : undefined;
    } catch {
      return undefined;
    }
  };

  const isError = (v: unknown): v is AwsError => typeof v === 'object' && v !== null && 'type' in v && 'status' in v;

  async function handle(op: string, input: Record<string, unknown>, headers: IncomingHttpHeaders): Promise<unknown> {
    const poolId = String(input.UserPoolId ?? '');
    const clientId = String(input.ClientId ?? '');
    const secrets = await secretsFor(headers, poolId, clientId);
    if (isError(secrets)) return secrets;
    switch (op) {
      case 'ListUserPoolClientSecrets':
        return { ClientSecrets: secrets.map((s) => ({ ClientSecretId: s.id, ClientSecretCreateDate: s.created })) };
      case 'AddUserPoolClientSecret': {
        if (secrets.length === 0) {
          return {
            status: 400,
            type: 'InvalidParameterException',
            message: 'The app client has no client secret; a public client cannot get one.',
          };
        }
        if (secrets.length >= 2)
          return { status: 400, type: 'LimitExceededException', message: 'The app client already has two client secrets.' };
        const given = typeof input.ClientSecret === 'string' ? input.ClientSecret : undefined;
        if (given !== undefined && !/^[\w+]{24,64}$/.test(given)) {
          return { status: 400, type: 'InvalidParameterException', message: 'ClientSecret must be 24–64 characters of [\\w+].' };
        }
        // A second within the same second would repeat the id: Cognito's ids are unique, so move on by one.
        let created = now();
        while (secrets.some((s) => s.created === created)) created += 1;
        const record = {
          id: `${clientId}--${created}`,
          value: given ?? randomBytes(39).toString('base64url').replace(/[-_]/g, 'x'),
          created,
          original: false,
        };
        secrets.push(record);
        return {
          ClientSecretDescriptor: { ClientSecretId: record.id, ClientSecretValue: record.value, ClientSecretCreateDate: record.created },
        };
      }
      case 'DeleteUserPoolClientSecret': {
        const i = secrets.findIndex((s) => s.id === input.ClientSecretId);
        if (i < 0) return { status: 400, type: 'ResourceNotFoundException', message: `No client secret ${String(input.ClientSecretId)}.` };
        if (secrets.length === 1)
          return { status: 400, type: 'InvalidParameterException', message: 'A client secret cannot be deleted while it is the only one.' };
        secrets.splice(i, 1);
        return {};
      }
      default:
        return { status: 400, type: 'InvalidAction', message: op };
    }
  }

  const OWN = new Set(['ListUserPoolClientSecrets', 'AddUserPoolClientSecret', 'DeleteUserPoolClientSecret']);
  const SIGN_IN = new Set(['InitiateAuth', 'AdminInitiateAuth']);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Buffer = Buffer.concat(chunks);
      const op =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const reply = (status: number, doc: unknown) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(doc));
      void (async () => {
        if (OWN.has(op)) {
          const answer = await handle(op, JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>, req.headers);
          if (isError(answer)) reply(answer.status, { __type: answer.type, message: answer.message });
          else reply(200, answer);
          return;
        }
        const poolNamed = op ? poolIdIn(body) : undefined;
        if (poolNamed) pools.add(poolNamed);
        if (SIGN_IN.has(op)) {
          const checked = await checkSecretHash(op, body, req.headers);
          if (isError(checked)) {
            reply(checked.status, { __type: checked.type, message: checked.message });
            return;
          }
          body = checked;
        }
        const up = await forward(req.method ?? 'POST', req.url ?? '/', req.headers, body);
        let out = up.body;
        if (op === 'DescribeUserPoolClient' && up.status === 200) {
          const doc = JSON.parse(out.toString('utf8')) as { UserPoolClient?: { ClientId?: string; ClientSecret?: string } };
          const clientId = doc.UserPoolClient?.ClientId;
          const secrets = clientId ? clients.get(clientId) : undefined;
          if (doc.UserPoolClient && secrets) {
            // Only the original secret is ever shown; once it is deleted, none is.
            const original = secrets.find((s) => s.original);
            if (original) doc.UserPoolClient.ClientSecret = original.value;
            else delete doc.UserPoolClient.ClientSecret;
            out = Buffer.from(JSON.stringify(doc));
          }
        }
        if (op === 'CreateUserPool' && up.status === 200) {
          const id = (JSON.parse(out.toString('utf8')) as { UserPool?: { Id?: string } }).UserPool?.Id;
          if (id) pools.add(id);
        }
        if (op === 'DeleteUserPoolClient' && up.status === 200) {
          const input = JSON.parse(body.toString('utf8') || '{}') as { ClientId?: string };
          if (input.ClientId) {
            clients.delete(input.ClientId);
            motoSecrets.delete(input.ClientId);
          }
        }
        res.writeHead(up.status, { ...up.headers, 'content-length': String(out.length) }).end(out);
      })().catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // It lives as long as the test worker that shares it (moto.ts): it does not keep the worker alive.
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secretsOf: (clientId) => clients.get(clientId),
    reset: () => {
      clients.clear();
      motoSecrets.clear();
      pools.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
