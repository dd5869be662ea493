import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { ResolvedConfig } from '../core/config/checks.js';
import { buildAppClient, buildRecord, toJsonFile } from '../core/record.js';
import type { PlannedFile } from './files.js';
import { SECRET_MASK } from '../core/text.js';
import { jsonVisible, visible } from '../core/text.js';
import { toolVersion } from '../cli/version.js';
import { shellQuote } from '../wizard/answers.js';

export const RECORD_FILE = 'creatio-sso-record.json';
export const APP_CLIENT_FILE = 'cognito-app-client.json';
export const SETUP_FILE = 'SETUP.md';

const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface ArtifactOptions {
  outDir: string;
  /** The config file the artifacts come from, as the user named it (for SETUP.md's check step). */
  configFile: string;
  /** The folder `outDir` and `configFile` are relative to (the command's cwd). */
  cwd?: string;
}

/** The three files of §6, in the order they are written. The record holds the secret: mode 0600. */
export function planArtifacts(c: ResolvedConfig, clientSecret: string, o: ArtifactOptions): PlannedFile[] {
  return [
    // JSON escapes C0 itself; DEL and C1 as \u escapes too, so `cat` or --dry-run shows nothing raw (§10).
    { path: path.join(o.outDir, RECORD_FILE), content: jsonVisible(toJsonFile(buildRecord(c, clientSecret))), mode: 0o600 },
    { path: path.join(o.outDir, APP_CLIENT_FILE), content: jsonVisible(toJsonFile(buildAppClient(c))), mode: 0o644 },
    { path: path.join(o.outDir, SETUP_FILE), content: renderSetup(c, o), mode: 0o644 },
  ];
}

/** The same files with the secret masked, for --dry-run. */
export const maskedContent = (f: PlannedFile, clientSecret: string): string =>
  clientSecret ? f.content.split(JSON.stringify(clientSecret)).join(JSON.stringify(SECRET_MASK)) : f.content;

export function renderSetup(c: ResolvedConfig, o: ArtifactOptions): string {
  const template = readFileSync(path.join(templatesDir, 'SETUP.md.eta'), 'utf8');
  const eta = new Eta({ autoEscape: false, autoTrim: false, useWith: false });
  // Step numbers: the on-site feature step comes first when it applies, the mobile step only when asked.
  const provider = c.deployment === 'on-site' ? 3 : 2;
  const mobile = c.mobileUseSso ? provider + 2 : 0;
  const base = o.cwd ?? '/';
  const fromConfigFolder = (p: string) =>
    path
      .relative(path.dirname(path.resolve(base, o.configFile)), path.resolve(base, p))
      .split(path.sep)
      .join('/');
  const step = { provider, jit: provider + 1, mobile, check: provider + (c.mobileUseSso ? 3 : 2) };
  // Every value from the config is shown with its control characters made visible (§10): SETUP.md is read
  // in terminals and --dry-run prints it.
  return eta.renderString(
    template,
    visibleValues({
      toolVersion: toolVersion(),
      creatioUrl: c.creatioUrl,
      deployment: c.deployment,
      userPoolId: c.userPoolId,
      region: c.region,
      domainHost: c.domain.host,
      clientId: c.clientId,
      displayName: c.displayName,
      isDefault: c.isDefault,
      urls: c.urls,
      jit: c.jit,
      claims: c.jit.claims.map(([claim, target]) => ({ claim, target })),
      mobileUseSso: c.mobileUseSso,
      // Every command in SETUP.md runs in the config file's folder: paths are relative to it.
      recordPath: fromConfigFolder(path.join(o.outDir, RECORD_FILE)),
      appClientPath: fromConfigFolder(path.join(o.outDir, APP_CLIENT_FILE)),
      configName: path.basename(o.configFile),
      configArg: shellQuote(path.basename(o.configFile)),
      // Mermaid ends a statement at ';' and starts an entity at '#': neither may come through raw.
      diagram: { creatioUrl: forMermaid(c.creatioUrl), callbackUrl: forMermaid(c.urls.callbackUrl) },
      secretEnv: c.clientSecret.kind === 'env' ? c.clientSecret.name : undefined,
      step,
    }) as Record<string, unknown>,
  );
}

const forMermaid = (s: string): string => s.replace(/;/g, '%3B').replace(/#/g, '%23');

/** Every string inside a value (objects, arrays) passed through `visible`. */
function visibleValues(v: unknown): unknown {
  if (typeof v === 'string') return visible(v);
  if (Array.isArray(v)) return v.map(visibleValues);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visibleValues(x)]));
  return v;
}
