import { credentialRefusal, type CreatioCredential } from '../core/creatio/trust.js';
import { finding, type Finding } from '../core/findings.js';
import { clipValue, maskSecrets } from '../core/text.js';
import { NetworkError, type HttpClient, type HttpRequest, type HttpResponse } from '../net/types.js';

/**
 * A Creatio API client (§12) over the tool's HTTP layer: forms or OAuth sign-in, the path style detected
 * once, DataService, FeatureService, system settings and the anonymous GetOpenIdAuthorizeUrl. Every
 * request goes through `sendCreatio`, which carries the credential marker the trust guard checks; every
 * unexpected answer becomes a CreatioFailure whose finding names the request and the manual step.
 */

export type CreatioAuth =
  | { kind: 'forms'; userName: string; password: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; identityUrl: string }
  | { kind: 'anonymous' };

export interface CreatioClientOptions {
  http: HttpClient;
  /** The pinned site root (pinCreatioSite in core/creatio/trust.ts), no trailing slash. */
  site: string;
  auth: CreatioAuth;
  /** The path style another client already found for the same site (so it is not detected twice). */
  pathStyle?: Promise<PathStyle> | undefined;
}

/** .NET Framework sites serve data services under `<root>/0/…`, .NET Core / .NET 8 under `<root>/…`. */
export type PathStyle = 'netframework' | 'netcore';

/** Creatio's DataValueType enumeration, the values this tool writes. */
export const DataValueType = { guid: 0, text: 1, lookup: 10, boolean: 12, secureText: 24 } as const;
export type DataValueTypeCode = (typeof DataValueType)[keyof typeof DataValueType];

export interface ColumnValue {
  type: DataValueTypeCode;
  value: string | boolean | null;
}

/** One comparison `column = value`; several are joined by `logic`. */
export interface EqualsFilter {
  column: string;
  type: DataValueTypeCode;
  value: string | boolean;
}

export type Row = Record<string, unknown>;

/** A request that did not give the answer §12 describes. `finding` says which request and what to do by hand. */
export class CreatioFailure extends Error {
  constructor(
    readonly finding: Finding,
    /** e.g. `POST /0/DataService/json/SyncReply/InsertQuery`. */
    readonly request: string,
    /** The end of `finding.message` that says what to do (kept last when more is added to the message). */
    readonly fix?: string,
  ) {
    super(finding.message);
    this.name = 'CreatioFailure';
  }
}

const SETUP = 'SETUP.md';

/**
 * Creatio's CSRF cookies, both generations: older sites issue BPMCSRF, newer ones CRT_CSRF, some both.
 * Each one issued is echoed in a header of the same name (§12).
 */
const CSRF_COOKIES = ['CRT_CSRF', 'BPMCSRF'] as const;
/** Creatio's reference marks it required on sign-in and on every cookie-authenticated request. */
const FORCE_USE_SESSION = { ForceUseSession: 'true' } as const;

/** The HTTP layer's credential kinds (src/net/http.ts) for what a Creatio request carries. */
const CREDENTIAL_KINDS: Record<CreatioCredential, string> = {
  none: 'creatio-public',
  password: 'creatio-password',
  session: 'creatio-session',
  'oauth-secret': 'creatio-oauth-secret',
  bearer: 'creatio-bearer',
};

/**
 * The one door for every Creatio request: `credential` names what the request carries, and the request
 * goes out only when the trust rule (core/creatio/trust.ts) allows it for that destination. At merge
 * this is where the HTTP layer's credential guard plugs in.
 */
export async function sendCreatio(
  http: HttpClient,
  req: HttpRequest,
  credential: CreatioCredential,
  pins: { site: string; identityUrl?: string | undefined },
): Promise<HttpResponse> {
  const refusal = credentialRefusal(req.url, credential, pins);
  if (refusal) {
    const f = finding('trust/unpinned-host', '', `Not sending ${req.method} ${req.url}: ${refusal}.`);
    throw new CreatioFailure(f, `${req.method} ${req.url}`);
  }
  const pinnedTo = credential === 'oauth-secret' ? pins.identityUrl! : pins.site;
  try {
    return await http.request({ ...req, credential: { kind: CREDENTIAL_KINDS[credential], allowedHosts: [new URL(pinnedTo).host] } });
  } catch (e) {
    // The HTTP layer would not send it (cleartext through a proxy, say; src/net/http.ts CredentialRefusedError, matched by
    // name so this file does not load the HTTP layer): nothing left, the half stops and says why.
    if (!(e instanceof Error && e.name === 'CredentialRefusedError')) throw e;
    throw new CreatioFailure(finding('creatio/unreachable', '', e.message), `${req.method} ${req.url}`);
  }
}

interface CallOptions {
  /** Path below the site root (with `/0` already applied when needed), or an absolute URL (identity service). */
  path: string;
  method: 'GET' | 'POST';
  body?: unknown;
  /** What the caller must do by hand if this request fails (points to SETUP.md). */
  manual: string;
  /** How the answer is read: JSON, or an empty body (a `void` WCF operation), or anything 2xx. */
  expect: 'json' | 'empty';
  anonymous?: boolean;
}

export class CreatioClient {
  readonly site: string;
  private readonly http: HttpClient;
  private readonly auth: CreatioAuth;
  private style?: Promise<PathStyle>;
  /** Every secret this client was given or wrote: masked in every message it makes (an echo in an error). */
  private readonly secrets = new Set<string>();
  private session?: Promise<Record<string, string>>;
  /** The CSRF cookies the forms sign-in got (none: a write the site refuses is explained by it). */
  private csrfIssued: string[] = [];
  /** Lines for the user about how this client read the site (the runtime not determined, say). Never a secret. */
  readonly notes: string[] = [];

  constructor(options: CreatioClientOptions) {
    this.http = options.http;
    this.site = options.site.replace(/\/+$/, '');
    this.auth = options.auth;
    this.style = options.pathStyle;
    if (this.auth.kind === 'forms') this.secrets.add(this.auth.password);
    if (this.auth.kind === 'oauth') this.secrets.add(this.auth.clientSecret);
  }

  /**
   * Anonymous `GET [/0]/api/HealthCheck/Ping`, as clio does: the path that answers 2xx is the site's style.
   * When both answer (a proxy in between), the login page decides, then a signed-in query (§12). Once per client.
   */
  pathStyle(): Promise<PathStyle> {
    this.style ??= this.detectPathStyle();
    return this.style;
  }

  private async detectPathStyle(): Promise<PathStyle> {
    const answers2xx = async (path: string) => {
      const res = await this.send({ method: 'GET', url: `${this.site}${path}` }, 'none', `GET ${path}`);
      return res.status >= 200 && res.status < 300;
    };
    const [framework, core] = await Promise.all([answers2xx('/0/api/HealthCheck/Ping'), answers2xx('/api/HealthCheck/Ping')]);
    if (framework !== core) return framework ? 'netframework' : 'netcore';
    if (!framework)
      throw this.unexpected(
        'GET [/0]/api/HealthCheck/Ping',
        'no answer 2xx on either path style (/0/api/HealthCheck/Ping nor /api/HealthCheck/Ping)',
        `check that ${this.site} is the Creatio site root, then follow ${SETUP} by hand`,
      );
    // Both answered: the login page decides, as clio's detection does.
    const [nuiLogin, loginHtml] = await Promise.all([answers2xx('/0/Login/NuiLogin.aspx'), answers2xx('/Login/Login.html')]);
    if (nuiLogin !== loginHtml) return nuiLogin ? 'netframework' : 'netcore';
    if (this.auth.kind !== 'anonymous') return this.styleBySignedInQuery();
    this.notes.push(
      `Creatio answered on both path styles (/0/… and /…; a proxy in between?), so the tool could not tell .NET Framework from .NET Core without Creatio credentials: the anonymous checks used the .NET Core paths.`,
    );
    return 'netcore';
  }

  /** A signed-in `SelectQuery` on both paths: the one that answers `success: true` is the site's style. */
  private async styleBySignedInQuery(): Promise<PathStyle> {
    const body = JSON.stringify({
      RootSchemaName: 'SsoProvider',
      OperationType: 0,
      Columns: { Items: { Id: { Expression: { ExpressionType: 0, ColumnPath: 'Id' } } } },
      RowCount: 1,
    });
    const headers = { ...(await this.signIn()), 'content-type': 'application/json' };
    const works = async (prefix: string) => {
      const path = `${prefix}/DataService/json/SyncReply/SelectQuery`;
      const res = await this.send({ method: 'POST', url: `${this.site}${path}`, headers, body }, this.sessionKind(), `POST ${path}`);
      if (res.status < 200 || res.status > 299 || looksHtml(res)) return false;
      try {
        return (JSON.parse(res.body) as { success?: unknown } | null)?.success === true;
      } catch {
        return false;
      }
    };
    const [framework, core] = await Promise.all([works('/0'), works('')]);
    if (framework !== core) return framework ? 'netframework' : 'netcore';
    throw this.unexpected(
      'POST [/0]/DataService/json/SyncReply/SelectQuery',
      `${framework ? 'success on both' : 'no success on either'} path style after both health checks and both login pages answered, so the tool cannot tell .NET Framework from .NET Core`,
      `check that ${this.site} is the Creatio site root and what the proxy in front of it answers, then follow ${SETUP} by hand`,
    );
  }

  /** Sign in once per client: forms (cookies, ForceUseSession and the CSRF headers) or OAuth client credentials (Bearer). */
  signIn(): Promise<Record<string, string>> {
    this.session ??= this.doSignIn();
    return this.session;
  }

  private async doSignIn(): Promise<Record<string, string>> {
    const auth = this.auth;
    if (auth.kind === 'anonymous') return {};
    if (auth.kind === 'forms') {
      const name = 'POST /ServiceModel/AuthService.svc/Login';
      const res = await this.send(
        {
          method: 'POST',
          url: `${this.site}/ServiceModel/AuthService.svc/Login`,
          headers: { 'content-type': 'application/json', ...FORCE_USE_SESSION },
          body: JSON.stringify({ UserName: auth.userName, UserPassword: auth.password }),
        },
        'password',
        name,
      );
      const doc = this.json(res, name, 'sign in to Creatio in a browser to check the account');
      const code = (doc as { Code?: unknown }).Code;
      if (code !== 0) {
        const why =
          typeof (doc as { Message?: unknown }).Message === 'string'
            ? clipValue(this.scrub((doc as { Message: string }).Message), 200)
            : `Code ${String(code)}`;
        throw this.fail(
          finding(
            'creatio/sign-in-failed',
            '',
            `Creatio refused the sign-in of ${auth.userName} (${name}): ${why}. Check CREATIO_SSO_CREATIO_USERNAME and CREATIO_SSO_CREATIO_PASSWORD.`,
          ),
          name,
        );
      }
      const cookies = parseSetCookie(res.headers['set-cookie'] ?? '');
      const headers: Record<string, string> = {
        cookie: Object.entries(cookies)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
        ...FORCE_USE_SESSION,
      };
      // Creatio's CSRF protection: each CSRF cookie's value echoed in a header of the same name.
      this.csrfIssued = CSRF_COOKIES.filter((name) => cookies[name] !== undefined);
      for (const name of this.csrfIssued) headers[name] = cookies[name]!;
      return headers;
    }
    const name = `POST ${auth.identityUrl}/connect/token`;
    const res = await this.send(
      {
        method: 'POST',
        url: `${auth.identityUrl}/connect/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: auth.clientId,
          client_secret: auth.clientSecret,
        }).toString(),
      },
      'oauth-secret',
      name,
    );
    let doc: unknown;
    try {
      doc = JSON.parse(res.body);
    } catch {
      doc = undefined;
    }
    const token = (doc as { access_token?: unknown } | undefined)?.access_token;
    if (res.status !== 200 || typeof token !== 'string' || token === '') {
      const error = (doc as { error?: unknown } | undefined)?.error;
      const why = typeof error === 'string' ? clipValue(this.scrub(error), 200) : `HTTP ${res.status}`;
      throw this.fail(
        finding(
          'creatio/sign-in-failed',
          '',
          `The Creatio identity service refused the OAuth client ${auth.clientId} (${name}): ${why}. Check CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID, CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET and CREATIO_SSO_CREATIO_IDENTITY_URL.`,
        ),
        name,
      );
    }
    return { authorization: `Bearer ${token}` };
  }

  /** `POST [/0]/DataService/json/SyncReply/SelectQuery` with an equality filter group. */
  async select(
    schema: string,
    columns: readonly string[],
    filters: readonly EqualsFilter[],
    logic: 'and' | 'or',
    manual: string,
  ): Promise<Row[]> {
    const body = {
      RootSchemaName: schema,
      OperationType: 0,
      Columns: { Items: Object.fromEntries(columns.map((c) => [c, { Expression: { ExpressionType: 0, ColumnPath: c } }])) },
      Filters: filterGroup(filters, logic),
    };
    const doc = await this.dataService('SelectQuery', body, manual);
    const rows = (doc as { rows?: unknown }).rows;
    if (!Array.isArray(rows) || rows.some((r) => r === null || typeof r !== 'object')) {
      throw this.unexpected(`POST ${await this.prefix()}/DataService/json/SyncReply/SelectQuery`, 'no "rows" list', manual);
    }
    return rows as Row[];
  }

  /** `InsertQuery`: answers the new record's Id. */
  async insert(schema: string, values: Record<string, ColumnValue>, manual: string): Promise<string> {
    const doc = await this.dataService(
      'InsertQuery',
      { RootSchemaName: schema, OperationType: 1, ColumnValues: this.columnValues(values) },
      manual,
    );
    const id = (doc as { id?: unknown }).id;
    return typeof id === 'string' ? id : '';
  }

  /** `UpdateQuery` filtered by equality; answers rowsAffected. */
  async update(schema: string, values: Record<string, ColumnValue>, filters: readonly EqualsFilter[], manual: string): Promise<number> {
    const body = {
      RootSchemaName: schema,
      OperationType: 2,
      ColumnValues: this.columnValues(values),
      Filters: filterGroup(filters, 'and'),
    };
    const doc = await this.dataService('UpdateQuery', body, manual);
    const n = (doc as { rowsAffected?: unknown }).rowsAffected;
    if (n === 0)
      throw this.unexpected(
        `POST ${await this.prefix()}/DataService/json/SyncReply/UpdateQuery`,
        'rowsAffected 0 (the record is gone)',
        manual,
      );
    return typeof n === 'number' ? n : 1;
  }

  /** `QuerySysSettings`: the values of the named system settings. */
  async querySysSettings(names: readonly string[], manual: string): Promise<Record<string, unknown>> {
    const doc = await this.dataService('QuerySysSettings', { sysSettingsNameCollection: names }, manual);
    const values = (doc as { values?: unknown }).values;
    if (values === null || typeof values !== 'object') {
      throw this.unexpected(`POST ${await this.prefix()}/DataService/json/SyncReply/QuerySysSettings`, 'no "values"', manual);
    }
    const out: Record<string, unknown> = {};
    for (const n of names) {
      const v = (values as Record<string, unknown>)[n];
      out[n] = v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : undefined;
    }
    return out;
  }

  /** `PostSysSettingsValues`: saved only when `saveResult` holds `true` for each code sent (as clio checks). */
  async postSysSettingsValues(values: Record<string, string | boolean>, manual: string): Promise<void> {
    const doc = await this.dataService('PostSysSettingsValues', { isPersonal: false, sysSettingsValues: values }, manual);
    const saveResult = (doc as { saveResult?: unknown }).saveResult;
    const saved = (code: string) =>
      saveResult !== null && typeof saveResult === 'object' && (saveResult as Record<string, unknown>)[code] === true;
    const notSaved = Object.keys(values).filter((code) => !saved(code));
    if (notSaved.length) {
      throw this.unexpected(
        `POST ${await this.prefix()}/DataService/json/SyncReply/PostSysSettingsValues`,
        `success: true, but ${notSaved.join(', ')} was not saved (its saveResult is not true: the account may lack the right to change it)`,
        manual,
      );
    }
  }

  /** `POST [/0]/rest/FeatureService/GetFeatureState` → `{"FeatureState":0|1}`. */
  async getFeatureState(code: string, manual: string): Promise<boolean> {
    const path = `${await this.prefix()}/rest/FeatureService/GetFeatureState`;
    const doc = await this.call({ method: 'POST', path, body: { code }, manual, expect: 'json' });
    const state = (doc as { FeatureState?: unknown } | undefined)?.FeatureState;
    if (state !== 0 && state !== 1) throw this.unexpected(`POST ${path}`, 'no FeatureState 0 or 1', manual);
    return state === 1;
  }

  /** `SetFeatureStateForAllUsers`: a void WCF operation, an empty body. */
  async setFeatureStateForAllUsers(code: string, state: 0 | 1, manual: string): Promise<void> {
    const path = `${await this.prefix()}/rest/FeatureService/SetFeatureStateForAllUsers`;
    await this.call({ method: 'POST', path, body: { code, state }, manual, expect: 'empty' });
  }

  /**
   * Best effort (§12): false when the answer is not 2xx or the site did not answer; never throws for that.
   * The trailing `/` is part of the route (UriTemplate `ClearFeaturesCacheForAllUsers/{*featureName}`).
   */
  async clearFeaturesCacheForAllUsers(): Promise<boolean> {
    try {
      const path = `${await this.prefix()}/rest/FeatureService/ClearFeaturesCacheForAllUsers/`;
      const res = await this.send(
        { method: 'GET', url: `${this.site}${path}`, headers: await this.signIn() },
        this.sessionKind(),
        `GET ${path}`,
      );
      return res.status >= 200 && res.status < 300;
    } catch (e) {
      if (e instanceof CreatioFailure && e.finding.code !== 'trust/unpinned-host') return false;
      throw e;
    }
  }

  /**
   * Anonymous `POST <root>/ServiceModel/AuthService.svc/GetOpenIdAuthorizeUrl`: the raw answer, for the
   * judge in core/creatio/authorize.ts. `returnUrl` as Creatio's login page sends it: `<root>/0/` on .NET
   * Framework, `<root>/` on .NET Core. Throws when the site does not answer or its path style is unclear.
   */
  async getOpenIdAuthorizeUrl(providerCode: string): Promise<HttpResponse> {
    const path = '/ServiceModel/AuthService.svc/GetOpenIdAuthorizeUrl';
    const returnUrl = `${this.site}${await this.prefix()}/`;
    return this.send(
      {
        method: 'POST',
        url: `${this.site}${path}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ returnUrl, providerCode }),
      },
      'none',
      `POST ${path}`,
    );
  }

  /** `/0` on .NET Framework sites, nothing on .NET Core. */
  async prefix(): Promise<string> {
    return (await this.pathStyle()) === 'netframework' ? '/0' : '';
  }

  private sessionKind(): CreatioCredential {
    return this.auth.kind === 'forms' ? 'session' : this.auth.kind === 'oauth' ? 'bearer' : 'none';
  }

  private async dataService(operation: string, body: unknown, manual: string): Promise<unknown> {
    const path = `${await this.prefix()}/DataService/json/SyncReply/${operation}`;
    const doc = await this.call({ method: 'POST', path, body, manual, expect: 'json' });
    if (doc === null || typeof doc !== 'object' || (doc as { success?: unknown }).success !== true) {
      const reason = refusalReason(doc);
      if (errorCode(doc) === 'LicException') {
        // Recognised by the error code (the exception's type), not by its message, which is localised.
        const fix =
          "Install the site's SSO licence first (System Designer → License manager, or ask Creatio support), then run apply again.";
        throw this.fail(
          finding(
            'creatio/not-licensed',
            '',
            `POST ${path} on ${this.site} was refused (LicException): saving an SSO provider needs the licence operation CanUseSSO, which this site lacks. ${fix}`,
          ),
          `POST ${path}`,
          fix,
        );
      }
      throw this.unexpected(`POST ${path}`, `success: false${reason ? ` ("${clipValue(this.scrub(reason), 200)}")` : ''}`, manual);
    }
    return doc;
  }

  private async call(o: CallOptions): Promise<unknown> {
    const name = `${o.method} ${o.path}`;
    const headers: Record<string, string> = o.anonymous ? {} : { ...(await this.signIn()) };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const req: HttpRequest = { method: o.method, url: `${this.site}${o.path}`, headers };
    if (o.body !== undefined) req.body = JSON.stringify(o.body);
    const res = await this.send(req, o.anonymous ? 'none' : this.sessionKind(), name);
    if (res.status === 401 || res.status === 403) {
      if (!o.anonymous && this.auth.kind === 'forms' && this.csrfIssued.length === 0) {
        // Nothing to echo: a site (or a proxy in between) that sent no CSRF cookie at sign-in.
        throw this.unexpected(
          name,
          `HTTP ${res.status}; the sign-in issued no CSRF cookie (CRT_CSRF or BPMCSRF), so no CSRF header could be sent (does a proxy in between strip it?)`,
          o.manual,
        );
      }
      throw this.fail(
        finding(
          'creatio/sign-in-failed',
          '',
          `Creatio refused ${name} with HTTP ${res.status}: the session was not accepted (sign-in, cookies or the ${CSRF_COOKIES.join('/')} header), or the account lacks the right. ${o.manual}.`,
        ),
        name,
      );
    }
    if (o.expect === 'empty') {
      if (res.status < 200 || res.status > 299) throw this.unexpected(name, describe(res), o.manual);
      if (looksHtml(res)) throw this.unexpected(name, 'an HTML page instead of an empty answer', o.manual);
      return undefined;
    }
    return this.json(res, name, o.manual);
  }

  private json(res: HttpResponse, name: string, manual: string): unknown {
    if (res.status < 200 || res.status > 299) throw this.unexpected(name, describe(res), manual);
    if (looksHtml(res)) throw this.unexpected(name, 'an HTML page where JSON was expected (a sign-in page or a proxy in between?)', manual);
    try {
      return JSON.parse(res.body);
    } catch {
      throw this.unexpected(name, 'a body that is not JSON', manual);
    }
  }

  private async send(req: HttpRequest, credential: CreatioCredential, name: string): Promise<HttpResponse> {
    const identityUrl = this.auth.kind === 'oauth' ? this.auth.identityUrl : undefined;
    try {
      return await sendCreatio(this.http, req, credential, { site: this.site, identityUrl });
    } catch (e) {
      if (e instanceof NetworkError) {
        throw this.fail(
          finding(
            'creatio/unreachable',
            'creatio.url',
            `${name} on ${this.site} got no answer: ${e.message} Check the network and --timeout.`,
          ),
          name,
        );
      }
      throw e;
    }
  }

  private columnValues(values: Record<string, ColumnValue>) {
    for (const v of Object.values(values))
      if (v.type === DataValueType.secureText && typeof v.value === 'string') this.secrets.add(v.value);
    return columnValues(values);
  }

  /** A failure whose message holds none of this client's secrets, in any of the forms they travel in. */
  private fail(f: Finding, request: string, fix?: string): CreatioFailure {
    return new CreatioFailure({ ...f, message: this.scrub(f.message) }, request, fix);
  }

  /** Text from an answer with this client's secrets masked; done before clipping, so no prefix of one survives. */
  private scrub(text: string): string {
    return maskSecrets(text, this.secrets, '***');
  }

  private unexpected(name: string, what: string, manual: string): CreatioFailure {
    return this.fail(finding('creatio/api-unexpected', '', `${name} on ${this.site} answered ${what}. ${manual}.`), name, `${manual}.`);
  }
}

function filterGroup(filters: readonly EqualsFilter[], logic: 'and' | 'or') {
  return {
    FilterType: 6,
    LogicalOperation: logic === 'and' ? 0 : 1,
    Items: Object.fromEntries(
      filters.map((f, i) => [
        `by${f.column}${i}`,
        {
          FilterType: 1,
          ComparisonType: 3,
          LeftExpression: { ExpressionType: 0, ColumnPath: f.column },
          RightExpression: { ExpressionType: 2, Parameter: { DataValueType: f.type, Value: f.value } },
        },
      ]),
    ),
  };
}

function columnValues(values: Record<string, ColumnValue>) {
  return {
    Items: Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, { ExpressionType: 2, Parameter: { DataValueType: v.type, Value: v.value } }]),
    ),
  };
}

function refusalReason(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object') return undefined;
  const d = doc as { errorInfo?: { message?: unknown }; responseStatus?: { Message?: unknown } };
  const m = d.errorInfo?.message ?? d.responseStatus?.Message;
  return typeof m === 'string' ? m : undefined;
}

/** The refusal's error code: DataService names the exception's type there (`LicException`, …). */
function errorCode(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object') return undefined;
  const d = doc as { errorInfo?: { errorCode?: unknown }; responseStatus?: { ErrorCode?: unknown } };
  const c = d.errorInfo?.errorCode ?? d.responseStatus?.ErrorCode;
  return typeof c === 'string' ? c : undefined;
}

const looksHtml = (res: HttpResponse): boolean => /html/i.test(res.headers['content-type'] ?? '') || /^\s*</.test(res.body);

function describe(res: HttpResponse): string {
  if (res.status === 404) return 'HTTP 404 (this site has no such service)';
  return `HTTP ${res.status}${looksHtml(res) ? ' with an HTML page' : ''}`;
}

/**
 * Cookies from Set-Cookie headers (the HTTP layer joins several with ", "): name → value. A comma inside an
 * Expires date is not followed by `name=`, so it does not split.
 */
export function parseSetCookie(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(/,\s*(?=[^;,=\s]+=)/)) {
    const pair = part.split(';', 1)[0]!.trim();
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}
