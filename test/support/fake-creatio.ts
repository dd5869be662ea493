import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for a Creatio site and its identity service, written from SPEC §12 (not from the
 * client): both path styles, an optional application path, forms sign-in with cookies and the CSRF
 * cookie of either generation (CRT_CSRF, BPMCSRF or both), OAuth client credentials on a separate
 * identity server, DataService on the virtual entity SsoOpenIdProvider (whose filters run against
 * SsoOpenIdSettings, so a Code filter is refused as Creatio refuses it) and on SsoProvider, the CanUseSSO
 * licence, system settings with a per-code saveResult, FeatureService (the cache route with its trailing
 * slash) and the anonymous GetOpenIdAuthorizeUrl. Every request is recorded so tests can see what was sent.
 */
export const COGNITO_TEMPLATE = 'd48ff378-0271-49dc-8285-c1a430834b31';

export interface FakeProvider {
  Id?: string;
  Code: string;
  Name?: string;
  SsoSettingsTemplate?: string;
  ClientID?: string;
  /** Stored, never read back (Select answers ""). */
  ClientSecret?: string;
  Url?: string;
  DiscoveryUrl?: string;
  EndSessionEndpointUrl?: string;
  IsDefault?: boolean;
}

/** The last path segment of a service (`InsertQuery`, `GetFeatureState`, `Login`, `Ping`, `token`, …). */
/** The provider record Creatio holds for the §4 example config, as `apply` would write it; `over` changes fields. */
export const exampleProvider = (over: Partial<FakeProvider> = {}): FakeProvider => ({
  Code: 'cognito-1h57kf5c',
  Name: 'Cognito AWS',
  SsoSettingsTemplate: COGNITO_TEMPLATE,
  ClientID: '1h57kf5cpq17m0eml12eqe3alr',
  Url: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
  DiscoveryUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
  EndSessionEndpointUrl:
    'https://acme-login.auth.eu-west-1.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}',
  IsDefault: false,
  ...over,
});

export type FakeService = string;

export interface FakeCreatioOptions {
  /** .NET Framework (`<root>/0/…`, default) or .NET Core (`<root>/…`). */
  style?: 'netframework' | 'netcore';
  /** An application path such as `/Demo_1`. */
  appPath?: string;
  /** Forms users: name → password. Default Supervisor / Supervisor!1. */
  users?: Record<string, string>;
  /** OAuth clients of the identity service: client ID → secret. */
  oauthClients?: Record<string, string>;
  providers?: FakeProvider[];
  /** Feature states; default EnableOpenIDAuth 0. */
  features?: Record<string, 0 | 1>;
  /** MobileUseSSO and friends; default MobileUseSSO false. */
  sysSettings?: Record<string, unknown>;
  /** Make a service answer 404, an HTML page with status 200, or success:false echoing the request body (as careless error messages do). */
  broken?: Record<FakeService, 404 | 'html' | 'echo'>;
  /** The site root Creatio believes it has (builds the callback in GetOpenIdAuthorizeUrl). Default: its own URL. */
  publicUrl?: string;
  /** Answer an http: redirect_uri (Creatio behind a TLS proxy without forwarded-proto handling). */
  redirectHttp?: boolean;
  /**
   * The CSRF cookie the sign-in issues (each is checked against a header of the same name): `crt` (newer
   * sites, the default), `bpm` (older sites), `both`, or `stripped` (a proxy strips it: no cookie, but the
   * site still wants the header, so every signed-in request gets 401).
   */
  csrf?: 'crt' | 'bpm' | 'both' | 'stripped';
  /**
   * Features with no row on the site: GetFeatureState answers 0 and SetFeatureStateForAllUsers answers as
   * usual but stores nothing (whether Creatio creates a missing row is not confirmed, §12; this is the worse case).
   */
  missingFeatures?: string[];
  /**
   * The virtual entity answers Code empty (its executor reads SsoOpenIdSettings, which has no Code; whether
   * Creatio fills it from SsoProvider is not confirmed): only SsoProvider tells the code.
   */
  virtualCodeEmpty?: boolean;
  /** The site lacks the CanUseSSO licence operation: saving a provider is refused with LicException. */
  unlicensed?: boolean;
  /** System settings the account may not change: PostSysSettingsValues answers `saveResult[code]: false`. */
  refusedSettings?: string[];
  /**
   * A proxy in front answers 2xx on both health-check paths (`ping`), and also on both login pages
   * (`ping+login`), so only a signed-in query tells the path style.
   */
  proxyAnswers2xx?: 'ping' | 'ping+login';
}

export interface RecordedCreatioRequest {
  server: 'site' | 'identity';
  method: string;
  /** Full path, application path included. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeCreatio {
  /** Site root: `http://127.0.0.1:<port>` + the application path. */
  url: string;
  /** Identity service base: `http://127.0.0.1:<port>`. */
  identityUrl: string;
  requests: RecordedCreatioRequest[];
  /** Settles when the first request arrives. */
  asked: Promise<void>;
  /** The records as stored (ClientSecret included, for assertions). */
  providers: FakeProvider[];
  features: Record<string, 0 | 1>;
  sysSettings: Record<string, unknown>;
  /** Requests that change something (InsertQuery, UpdateQuery, PostSysSettingsValues, SetFeatureStateForAllUsers). */
  writes(): RecordedCreatioRequest[];
  close(): Promise<void>;
}

/** SsoOpenIdProvider's columns and their DataValueType. */
const COLUMNS: Record<string, number> = {
  Id: 0,
  Code: 1,
  Name: 1,
  SsoSettingsTemplate: 10,
  ClientID: 1,
  ClientSecret: 24,
  Url: 1,
  DiscoveryUrl: 1,
  EndSessionEndpointUrl: 1,
  IsDefault: 12,
};
/**
 * The virtual entity's query executor runs filters against SsoOpenIdSettings, which has no Code (nor
 * Name: both live in SsoProvider). Of the columns §12 lets a caller filter by, Id and ClientID.
 */
const OPENID_FILTERABLE = new Set(['Id', 'ClientID']);
/** SsoProvider's columns (the record behind the virtual entity: same Id). */
const SSO_PROVIDER_COLUMNS = new Set(['Id', 'Code', 'Name']);
const WRITES = /\/(InsertQuery|UpdateQuery|PostSysSettingsValues|SetFeatureStateForAllUsers)$/;

interface Answer {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}
const json = (status: number, doc: unknown, headers: Record<string, string | string[]> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(doc),
});
const refuse = (message: string, errorCode = 'Exception'): Answer =>
  json(200, {
    success: false,
    errorInfo: { errorCode, message, stackTrace: null },
    responseStatus: { ErrorCode: errorCode, Message: message },
  });
const html = (status = 200): Answer => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: '<!DOCTYPE html><html><body>Login</body></html>',
});

export async function startFakeCreatio(options: FakeCreatioOptions = {}): Promise<FakeCreatio> {
  const appPath = (options.appPath ?? '').replace(/\/+$/, '');
  const prefix = (options.style ?? 'netframework') === 'netframework' ? '/0' : '';
  const users = options.users ?? { Supervisor: 'Supervisor!1' };
  const oauthClients = options.oauthClients ?? {};
  const providers: FakeProvider[] = (options.providers ?? []).map((p) => ({ Id: randomUUID(), ...p }));
  const features: Record<string, 0 | 1> = { EnableOpenIDAuth: 0, ...options.features };
  const sysSettings: Record<string, unknown> = { MobileUseSSO: false, ...options.sysSettings };
  const broken = options.broken ?? {};
  const requests: RecordedCreatioRequest[] = [];
  const csrfMode = options.csrf ?? 'crt';
  const refusedSettings = new Set(options.refusedSettings ?? []);
  const sessions = new Map<string, string>(); // .ASPXAUTH → the CSRF value
  const tokens = new Set<string>();

  const authorized = (h: IncomingHttpHeaders): boolean => {
    const bearer = /^Bearer (.+)$/.exec(h.authorization ?? '');
    if (bearer) return tokens.has(bearer[1]!);
    const cookies = Object.fromEntries(
      (h.cookie ?? '')
        .split(/;\s*/)
        .filter(Boolean)
        .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]),
    );
    const csrf = sessions.get(cookies['.ASPXAUTH'] ?? '');
    if (csrf === undefined) return false;
    // Each CSRF cookie the site issued is echoed in a header of the same name; with both, either one will do
    // (Creatio's .NET client sends CRT_CSRF, or BPMCSRF when only that was issued), but none may be forged.
    const names = csrfMode === 'both' ? ['CRT_CSRF', 'BPMCSRF'] : csrfMode === 'bpm' ? ['BPMCSRF'] : ['CRT_CSRF'];
    const sent = names.filter((n) => h[n.toLowerCase()] !== undefined);
    if (csrfMode === 'stripped') return h.crt_csrf === csrf;
    return sent.length > 0 && sent.every((n) => h[n.toLowerCase()] === csrf && cookies[n] === csrf);
  };

  function site(method: string, path: string, headers: IncomingHttpHeaders, body: string, root: string): Answer {
    if (!path.startsWith(`${appPath}/`) && appPath !== '') return html(404);
    const p = path.slice(appPath.length);
    const service = p.split('/').filter(Boolean).pop() ?? '';
    const breakage = broken[service];
    if (breakage === 404) return { status: 404, body: 'Not Found' };
    if (breakage === 'html') return html();
    if (breakage === 'echo') return refuse(`Could not save ${body}`);
    let doc: Record<string, unknown> = {};
    if (method === 'POST' && body) {
      try {
        doc = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return json(400, { Message: 'The request body is not JSON' });
      }
    }

    if (method === 'GET' && (p === '/0/api/HealthCheck/Ping' || p === '/api/HealthCheck/Ping')) {
      if (options.proxyAnswers2xx) return { status: 200, body: '' };
      return p === `${prefix}/api/HealthCheck/Ping` ? { status: 200, body: '' } : { status: 404, body: 'Not Found' };
    }
    // The login page: Login/Login.html on .NET Core, 0/Login/NuiLogin.aspx on .NET Framework.
    if (method === 'GET' && (p === '/Login/Login.html' || p === '/0/Login/NuiLogin.aspx')) {
      const own = p === (prefix === '/0' ? '/0/Login/NuiLogin.aspx' : '/Login/Login.html');
      return own || options.proxyAnswers2xx === 'ping+login' ? html(200) : html(404);
    }
    if (method === 'POST' && p === '/ServiceModel/AuthService.svc/Login') {
      const name = doc.UserName as string;
      if (typeof name !== 'string' || users[name] === undefined || users[name] !== doc.UserPassword) {
        return json(200, {
          Code: 1,
          Message: 'Invalid username or password specified',
          Exception: null,
          PasswordChangeUrl: null,
          RedirectUrl: null,
        });
      }
      const auth = randomBytes(16).toString('hex');
      const csrf = randomBytes(8).toString('hex');
      sessions.set(auth, csrf);
      const cookies = [
        `.ASPXAUTH=${auth}; path=/; HttpOnly`,
        `BPMLOADER=${randomBytes(8).toString('hex')}; path=/; HttpOnly`,
        `UserName=${name}; path=/`,
      ];
      if (csrfMode === 'bpm' || csrfMode === 'both') cookies.push(`BPMCSRF=${csrf}; expires=Thu, 01 Jan 2037 00:00:00 GMT; path=/`);
      if (csrfMode === 'crt' || csrfMode === 'both') cookies.push(`CRT_CSRF=${csrf}; path=/; SameSite=Lax`);
      return json(200, { Code: 0, Message: '', Exception: null, PasswordChangeUrl: null, RedirectUrl: null }, { 'set-cookie': cookies });
    }
    if (method === 'POST' && p === '/ServiceModel/AuthService.svc/GetOpenIdAuthorizeUrl') {
      const record = providers.find((r) => r.Code === doc.providerCode);
      if (!record) return json(500, { Message: `SSO provider with code "${String(doc.providerCode)}" not found` });
      let callback = `${options.publicUrl ?? root}/ServiceModel/AuthService.svc/OpenIdCallback`;
      if (options.redirectHttp) callback = callback.replace(/^https:/, 'http:');
      const q = new URLSearchParams({
        client_id: record.ClientID ?? '',
        redirect_uri: callback,
        response_type: 'code',
        scope: 'openid profile email phone',
        state: randomBytes(8).toString('hex'),
      });
      return json(200, `${record.Url ?? ''}/oauth2/authorize?${q.toString()}`);
    }

    const data = new RegExp(`^${prefix}/DataService/json/SyncReply/(\\w+)$`).exec(p);
    // The cache operation's UriTemplate is `ClearFeaturesCacheForAllUsers/{*featureName}`: without its slash it does not match.
    const feature = new RegExp(
      `^${prefix}/rest/FeatureService/(GetFeatureState|SetFeatureStateForAllUsers|ClearFeaturesCacheForAllUsers/.*)$`,
    ).exec(p);
    if (!data && !feature) return html(404);
    if (!authorized(headers)) return { status: 401, body: '' };

    if (feature) {
      const op = feature[1];
      if (op === 'GetFeatureState' && method === 'POST') return json(200, { FeatureState: features[doc.code as string] ?? 0 });
      if (op === 'SetFeatureStateForAllUsers' && method === 'POST') {
        if (!options.missingFeatures?.includes(doc.code as string)) features[doc.code as string] = doc.state === 1 ? 1 : 0;
        return { status: 200, body: '' };
      }
      if (op!.startsWith('ClearFeaturesCacheForAllUsers/') && method === 'GET') return { status: 200, body: '' };
      return html(404);
    }
    const op = data![1];
    if (method !== 'POST') return html(405);
    if (op === 'QuerySysSettings') {
      const names = (doc.sysSettingsNameCollection as string[] | undefined) ?? [];
      return json(200, {
        success: true,
        values: Object.fromEntries(names.filter((n) => n in sysSettings).map((n) => [n, { code: n, value: sysSettings[n] }])),
      });
    }
    if (op === 'PostSysSettingsValues') {
      // success: true answers the request; each setting is saved or not on its own (no right to change it, say).
      const values = (doc.sysSettingsValues ?? {}) as Record<string, unknown>;
      const saveResult: Record<string, boolean> = {};
      for (const [k, v] of Object.entries(values)) {
        saveResult[k] = !refusedSettings.has(k);
        if (saveResult[k]) sysSettings[k] = v;
      }
      return json(200, { success: true, saveResult });
    }
    if (!['SelectQuery', 'InsertQuery', 'UpdateQuery'].includes(op!)) return html(404);
    const cols = Object.keys(((doc.Columns as { Items?: object } | undefined)?.Items ?? {}) as object);
    if (doc.RootSchemaName === 'SsoProvider') {
      if (op !== 'SelectQuery') return refuse('The stand-in writes SsoProvider only through SsoOpenIdProvider.');
      const unknown = cols.find((c) => !SSO_PROVIDER_COLUMNS.has(c));
      if (unknown) return refuse(`Column by path "${unknown}" not found in schema "SsoProvider".`);
      const match = filterOf(doc.Filters, SSO_PROVIDER_COLUMNS, 'SsoProvider');
      if (typeof match === 'string') return refuse(match);
      const rows = providers.filter(match).map((r) => Object.fromEntries(cols.map((c) => [c, readColumn(r, c)])));
      return json(200, { success: true, rows, rowsAffected: 0 });
    }
    if (doc.RootSchemaName !== 'SsoOpenIdProvider') return refuse(`Schema "${String(doc.RootSchemaName)}" not found`);

    if (op === 'SelectQuery') {
      const unknown = cols.find((c) => !(c in COLUMNS));
      if (unknown) return refuse(`Column by path "${unknown}" not found in schema "SsoOpenIdProvider".`);
      const match = filterOf(doc.Filters, OPENID_FILTERABLE, 'SsoOpenIdSettings');
      if (typeof match === 'string') return refuse(match);
      const column = (r: FakeProvider, c: string) => (c === 'Code' && options.virtualCodeEmpty ? '' : readColumn(r, c));
      const rows = providers.filter(match).map((r) => Object.fromEntries(cols.map((c) => [c, column(r, c)])));
      return json(200, { success: true, rows, rowsAffected: 0 });
    }
    const values = columnValues(doc.ColumnValues);
    if (typeof values === 'string') return refuse(values);
    // Creatio's OnSaving checks the licence operation CanUseSSO; the exception's type is the error code.
    if (options.unlicensed)
      return refuse('The license for the operation "CanUseSSO" was not found. Contact your system administrator.', 'LicException');
    if (op === 'InsertQuery') {
      if (typeof values.Code !== 'string' || values.Code === '') return refuse('Column "Code" is required.');
      if (providers.some((r) => r.Code === values.Code)) return refuse(`A provider with code "${values.Code}" already exists.`);
      const record = { Id: randomUUID(), IsDefault: false, ClientSecret: '', ...values } as FakeProvider;
      providers.push(record);
      return json(200, { success: true, id: record.Id, rowsAffected: 1 });
    }
    const match = filterOf(doc.Filters, OPENID_FILTERABLE, 'SsoOpenIdSettings');
    if (typeof match === 'string') return refuse(match);
    const hit = providers.filter(match);
    for (const r of hit) Object.assign(r, values);
    return json(200, { success: true, rowsAffected: hit.length });
  }

  function identity(method: string, path: string, body: string): Answer {
    if (broken.token === 404) return { status: 404, body: 'Not Found' };
    if (method !== 'POST' || path !== '/connect/token') return { status: 404, body: '' };
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    const id = form.get('client_id') ?? '';
    if (oauthClients[id] === undefined || oauthClients[id] !== form.get('client_secret')) return json(400, { error: 'invalid_client' });
    const token = randomBytes(24).toString('base64url');
    tokens.add(token);
    return json(200, { access_token: token, expires_in: 3600, token_type: 'Bearer', scope: 'ApplicationAccess' });
  }

  let firstRequest!: () => void;
  const asked = new Promise<void>((resolve) => (firstRequest = resolve));
  const handler = (which: 'site' | 'identity') => (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.push({ server: which, method: req.method ?? '', path, headers: req.headers, body });
      firstRequest();
      const answer = which === 'site' ? site(req.method ?? '', path, req.headers, body, siteUrl) : identity(req.method ?? '', path, body);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  };

  const listen = async (server: Server) => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const siteServer = createServer(handler('site'));
  const identityServer = createServer(handler('identity'));
  const siteUrl = `${await listen(siteServer)}${appPath}`;
  const identityUrl = await listen(identityServer);
  const close = (s: Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });

  return {
    url: siteUrl,
    identityUrl,
    requests,
    asked,
    providers,
    features,
    sysSettings,
    writes: () => requests.filter((r) => WRITES.test(r.path)),
    close: async () => {
      await Promise.all([close(siteServer), close(identityServer)]);
    },
  };
}

function readColumn(r: FakeProvider, column: string): unknown {
  if (column === 'ClientSecret') return '';
  if (column === 'SsoSettingsTemplate') {
    const v = r.SsoSettingsTemplate;
    return v ? { value: v, displayValue: v === COGNITO_TEMPLATE ? 'Cognito AWS' : 'Other' } : null;
  }
  if (column === 'IsDefault') return r.IsDefault ?? false;
  return (r as unknown as Record<string, unknown>)[column] ?? '';
}

/** ColumnValues → plain values, checking each column and its DataValueType; a string is the refusal. */
function columnValues(raw: unknown): Record<string, unknown> | string {
  const items = (raw as { Items?: Record<string, unknown> } | undefined)?.Items;
  if (!items || typeof items !== 'object') return 'ColumnValues.Items is missing.';
  const out: Record<string, unknown> = {};
  for (const [column, expr] of Object.entries(items)) {
    if (!(column in COLUMNS) || column === 'Id') return `Column by path "${column}" not found in schema "SsoOpenIdProvider".`;
    const e = expr as { ExpressionType?: unknown; Parameter?: { DataValueType?: unknown; Value?: unknown } };
    if (e.ExpressionType !== 2 || !e.Parameter) return `Column "${column}": expected a parameter expression.`;
    if (e.Parameter.DataValueType !== COLUMNS[column])
      return `Column "${column}": DataValueType ${String(e.Parameter.DataValueType)} is not ${COLUMNS[column]}.`;
    out[column] = e.Parameter.Value;
  }
  return out;
}

/**
 * A Filters group of equality comparisons (nested groups allowed) → a predicate; a string is the refusal.
 * `columns` are those the query executor can filter by, `schema` the one it filters (named in the refusal).
 */
function filterOf(raw: unknown, columns: ReadonlySet<string>, schema: string): ((r: FakeProvider) => boolean) | string {
  if (raw === undefined || raw === null) return () => true;
  const f = raw as {
    FilterType?: number;
    LogicalOperation?: number;
    Items?: Record<string, unknown>;
    ComparisonType?: number;
    LeftExpression?: { ColumnPath?: string };
    RightExpression?: { Parameter?: { Value?: unknown } };
  };
  if (f.FilterType === 6) {
    const parts = Object.values(f.Items ?? {}).map((item) => filterOf(item, columns, schema));
    const bad = parts.find((p) => typeof p === 'string');
    if (bad) return bad;
    const preds = parts as ((r: FakeProvider) => boolean)[];
    if (preds.length === 0) return () => true;
    return f.LogicalOperation === 1 ? (r) => preds.some((p) => p(r)) : (r) => preds.every((p) => p(r));
  }
  if (f.FilterType === 1 && f.ComparisonType === 3) {
    const column = f.LeftExpression?.ColumnPath ?? '';
    if (!columns.has(column)) return `Column by path ${column} not found in schema ${schema}.`;
    const value = f.RightExpression?.Parameter?.Value;
    return (r) => (r as unknown as Record<string, unknown>)[column] === value;
  }
  return `Filter type ${String(f.FilterType)} is not supported by the stand-in.`;
}

/**
 * A config for an on-site Creatio at `site` (a loopback site has a port, which cloud forbids) and the
 * example pool, domain and client; `rest` follows the cognito section (provider:, mobile: …).
 */
export const onSiteConfig = (
  site: string,
  rest = '',
  o: { userPoolId?: string; domain?: string; clientId?: string } = {},
): string => `version: 1
creatio:
  url: ${site}
  deployment: on-site
cognito:
  userPoolId: ${o.userPoolId ?? 'eu-west-1_AbCdEf123'}
  domain: ${o.domain ?? 'acme-login'}
  clientId: ${o.clientId ?? '1h57kf5cpq17m0eml12eqe3alr'}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
${rest}`;
