import type { ResolvedConfig } from '../config/checks.js';
import { COGNITO_SSO_TEMPLATE_ID, defaultProviderCode } from './identifiers.js';
import { finding, type Finding } from '../findings.js';
import { quote, visible } from '../text.js';

/**
 * The Creatio half of `plan` (§12, §13), pure: which SsoOpenIdProvider record is ours, how it differs
 * from the configuration, and the items `apply` would carry out, in order.
 */

/** One SsoOpenIdProvider row as read (lookups reduced to their GUID). ClientSecret is never readable. */
export interface ProviderRecord {
  Id: string;
  Code: string;
  Name?: string;
  SsoSettingsTemplate?: string;
  ClientID?: string;
  Url?: string;
  DiscoveryUrl?: string;
  EndSessionEndpointUrl?: string;
  IsDefault?: boolean;
}

/** The columns the tool manages besides Code, ClientSecret and IsDefault, in the order the plan lists them. */
export const PROVIDER_FIELDS = ['Name', 'SsoSettingsTemplate', 'ClientID', 'Url', 'DiscoveryUrl', 'EndSessionEndpointUrl'] as const;
export type ProviderField = (typeof PROVIDER_FIELDS)[number];

/** What the configuration wants in Creatio. */
export interface DesiredCreatio {
  deployment: 'cloud' | 'on-site';
  /** provider.code / --provider-code / CREATIO_SSO_PROVIDER_CODE, when given. */
  providerCode?: string | undefined;
  clientId: string;
  fields: Record<ProviderField, string>;
  isDefault: boolean;
  mobileUseSso: boolean;
  jit: { employees: boolean; externalUsers: boolean };
  /** Write ClientSecret on update too (--write-secret, or this run created the Cognito client). */
  writeSecret: boolean;
}

export function desiredCreatioOf(
  c: ResolvedConfig,
  opts: { providerCode?: string | undefined; writeSecret?: boolean } = {},
): DesiredCreatio {
  return {
    deployment: c.deployment,
    providerCode: opts.providerCode,
    clientId: c.clientId,
    fields: {
      Name: c.displayName,
      SsoSettingsTemplate: COGNITO_SSO_TEMPLATE_ID,
      ClientID: c.clientId,
      Url: c.urls.providerUrl,
      DiscoveryUrl: c.urls.discoveryUrl,
      EndSessionEndpointUrl: c.urls.endSessionEndpoint,
    },
    isDefault: c.isDefault,
    mobileUseSso: c.mobileUseSso,
    jit: { employees: c.jit.employees, externalUsers: c.jit.externalUsers },
    writeSecret: opts.writeSecret ?? false,
  };
}

/** What was read from Creatio. */
export interface CreatioLiveState {
  /** EnableOpenIDAuth; read on-site only (cloud has it on). */
  featureEnabled?: boolean | undefined;
  /** Every record whose Code is the configured code or whose ClientID is the configured client ID. */
  providers: ProviderRecord[];
  mobileUseSso: boolean;
}

export type ProviderMatch =
  | { kind: 'found'; record: ProviderRecord; by: 'code' | 'clientId' }
  | { kind: 'none'; code: string }
  | { kind: 'ambiguous'; finding: Finding };

/**
 * Which record is ours: the one whose Code is the configured code; else the one whose ClientID is the
 * configured client ID (adopted under its own code). Never by Name: another team's provider may share it.
 */
export function identifyProvider(
  rows: readonly ProviderRecord[],
  want: { providerCode?: string | undefined; clientId: string },
): ProviderMatch {
  if (want.providerCode !== undefined) {
    const byCode = rows.filter((r) => r.Code === want.providerCode);
    if (byCode.length === 1) return { kind: 'found', record: byCode[0]!, by: 'code' };
    if (byCode.length > 1) return ambiguous(byCode, `the code ${want.providerCode}`);
  }
  const byClient = rows.filter((r) => r.ClientID === want.clientId);
  if (byClient.length === 1) return { kind: 'found', record: byClient[0]!, by: 'clientId' };
  if (byClient.length > 1) return ambiguous(byClient, `the client ID ${want.clientId}`);
  return { kind: 'none', code: want.providerCode ?? defaultProviderCode(want.clientId) };
}

function ambiguous(rows: readonly ProviderRecord[], what: string): ProviderMatch {
  const codes = rows.map((r) => r.Code).join(', ');
  return {
    kind: 'ambiguous',
    finding: finding(
      'creatio/ambiguous-provider',
      'provider.code',
      `Creatio has ${rows.length} SSO providers with ${what} (codes ${codes}); nothing was changed. Set provider.code to the code of the one to manage.`,
    ),
  };
}

/** One line of the plan, in §9's shape. Secrets only as "(set)", "(written)" or "(cannot be compared)". */
export interface PlanItem {
  resource: string;
  field: string;
  action: 'add' | 'change' | 'same' | 'manual';
  from?: string | boolean;
  to?: string | boolean;
  how?: string;
  applied?: boolean;
}

/** How the plan's notes about provider.code begin: apply writes that line into the config itself (§13), so it drops them. */
export const AFTER_APPLY_NOTE = 'apply writes "provider.code: ';

export const FEATURE_RESOURCE = 'Feature';
export const FEATURE_CODE = 'EnableOpenIDAuth';
export const PROVIDER_RESOURCE = 'SsoOpenIdProvider';
export const SYS_SETTINGS_RESOURCE = 'SysSettings';
export const MOBILE_SETTING = 'MobileUseSSO';
export const JIT_RESOURCE = 'SsoServiceProvider';

export interface CreatioPlan {
  items: PlanItem[];
  /** Errors that stop the half (an ambiguous provider): then `items` is empty and nothing may be applied. */
  findings: Finding[];
  /** Insert a new record, update the one found, or nothing to decide (stopped). */
  provider: { kind: 'insert'; code: string } | { kind: 'update'; id: string; code: string; adopted: boolean } | { kind: 'stopped' };
  /** Lines to tell the user (e.g. the provider.code to add to the config). Never a secret. */
  notes: string[];
}

/** Items that change something (manual steps and unchanged fields do not count). */
export const pendingItems = (items: readonly PlanItem[]): PlanItem[] => items.filter((i) => i.action === 'add' || i.action === 'change');

/** The Creatio half of the plan, field by field, in apply's order. */
export function planCreatio(desired: DesiredCreatio, live: CreatioLiveState): CreatioPlan {
  const match = identifyProvider(live.providers, desired);
  if (match.kind === 'ambiguous') return { items: [], findings: [match.finding], provider: { kind: 'stopped' }, notes: [] };

  const items: PlanItem[] = [];
  const notes: string[] = [];
  if (desired.deployment === 'on-site') {
    const on = live.featureEnabled === true;
    items.push({
      resource: FEATURE_RESOURCE,
      field: FEATURE_CODE,
      ...(on ? { action: 'same' as const, to: true } : { action: 'change' as const, from: false, to: true }),
    });
  }

  let provider: CreatioPlan['provider'];
  if (match.kind === 'none') {
    provider = { kind: 'insert', code: match.code };
    items.push({ resource: PROVIDER_RESOURCE, field: 'Code', action: 'add', to: match.code });
    for (const field of PROVIDER_FIELDS) items.push({ resource: PROVIDER_RESOURCE, field, action: 'add', to: desired.fields[field] });
    items.push({ resource: PROVIDER_RESOURCE, field: 'ClientSecret', action: 'add', to: '(set)' });
    items.push({ resource: PROVIDER_RESOURCE, field: 'IsDefault', action: 'add', to: desired.isDefault });
    if (desired.providerCode === undefined)
      notes.push(`${AFTER_APPLY_NOTE}${visible(match.code)}" into the config, so later checks find the provider.`);
  } else {
    const r = match.record;
    const adopted = match.by === 'clientId' && r.Code !== desired.providerCode;
    provider = { kind: 'update', id: r.Id, code: r.Code, adopted };
    if (adopted) {
      // The code comes from Creatio's answer: quoted and escaped, so a line feed in it cannot start a line (§10).
      const was = desired.providerCode === undefined ? '' : ` (Creatio has no provider with the code ${visible(desired.providerCode)})`;
      notes.push(
        `The provider was found by its client ID under the code ${quote(r.Code)}${was}: ${AFTER_APPLY_NOTE}${visible(r.Code)}" into the config.`,
      );
    }
    items.push(...compareProvider(r, desired));
  }

  items.push(
    live.mobileUseSso === desired.mobileUseSso
      ? { resource: SYS_SETTINGS_RESOURCE, field: MOBILE_SETTING, action: 'same', to: desired.mobileUseSso }
      : { resource: SYS_SETTINGS_RESOURCE, field: MOBILE_SETTING, action: 'change', from: live.mobileUseSso, to: desired.mobileUseSso },
  );
  items.push({ resource: JIT_RESOURCE, field: 'JIT', action: 'manual', how: jitHow(desired) });
  return { items, findings: [], provider, notes };
}

/** JIT switches are not written through the API until the settings page's save is confirmed (§12). */
export function jitHow(desired: DesiredCreatio): string {
  const onOff = (b: boolean) => (b ? 'on' : 'off');
  return (
    `System Designer → Single Sign On configuration → ${JSON.stringify(desired.fields.Name)} → Just-In-Time user provisioning: ` +
    `employees ${onOff(desired.jit.employees)}, external users ${onOff(desired.jit.externalUsers)}`
  );
}

/** The managed fields of an existing record against the configuration, in the plan's order. */
export function compareProvider(r: ProviderRecord, desired: DesiredCreatio): PlanItem[] {
  const items = PROVIDER_FIELDS.map((field) =>
    compare(PROVIDER_RESOURCE, field, r[field], desired.fields[field], field === 'SsoSettingsTemplate'),
  );
  items.push(
    desired.writeSecret
      ? { resource: PROVIDER_RESOURCE, field: 'ClientSecret', action: 'change', to: '(written)' }
      : {
          resource: PROVIDER_RESOURCE,
          field: 'ClientSecret',
          action: 'same',
          to: '(cannot be compared)',
          how: 'Creatio never shows it: pass --write-secret to write it again.',
        },
  );
  items.push(
    (r.IsDefault ?? false) === desired.isDefault
      ? { resource: PROVIDER_RESOURCE, field: 'IsDefault', action: 'same', to: desired.isDefault }
      : { resource: PROVIDER_RESOURCE, field: 'IsDefault', action: 'change', from: r.IsDefault ?? false, to: desired.isDefault },
  );
  return items;
}

function compare(resource: string, field: string, actual: string | undefined, wanted: string, caseless = false): PlanItem {
  const same = actual !== undefined && (caseless ? actual.toLowerCase() === wanted.toLowerCase() : actual === wanted);
  if (same) return { resource, field, action: 'same', to: wanted };
  return { resource, field, action: 'change', from: actual ?? '', to: wanted };
}

/**
 * doctor's verdict on the live state (with Creatio credentials): the feature on-site, a provider that
 * matches, and no drift. `creatio/drift` names each field with both values.
 */
export function checkCreatioState(desired: DesiredCreatio, live: CreatioLiveState): Finding[] {
  const out: Finding[] = [];
  if (desired.deployment === 'on-site' && live.featureEnabled !== true) {
    out.push(
      finding(
        'creatio/feature-off',
        'creatio.deployment',
        `The feature ${FEATURE_CODE} is off: run apply, or switch it on at <CreatioURL>/0/Flags.`,
      ),
    );
  }
  const match = identifyProvider(live.providers, desired);
  if (match.kind === 'ambiguous') return [...out, match.finding];
  if (match.kind === 'none') {
    out.push(
      finding(
        'creatio/provider-unknown',
        'provider.code',
        desired.providerCode !== undefined
          ? `Creatio has no SSO provider with the code ${desired.providerCode} nor one with the client ID ${desired.clientId}: run apply, or copy the code from Creatio's SSO list into provider.code.`
          : `Creatio has no SSO provider with the client ID ${desired.clientId}: run apply, or set it up by hand (SETUP.md).`,
      ),
    );
    return out;
  }
  const drift = providerDrift(match.record, desired);
  if (drift) out.push(drift);
  return out;
}

/** One `creatio/drift` finding naming every managed field that differs, with both values; undefined when none does. */
export function providerDrift(record: ProviderRecord, desired: DesiredCreatio): Finding | undefined {
  const changed = compareProvider(record, { ...desired, writeSecret: false }).filter((i) => i.action === 'change');
  if (changed.length === 0) return undefined;
  const parts = changed.map((i) => `${i.field} is ${show(i.from)} (config: ${show(i.to)})`);
  return finding(
    'creatio/drift',
    'provider',
    `The Creatio provider ${record.Code} differs from the configuration: ${parts.join('; ')}. Run apply to correct it.`,
  );
}

const show = (v: string | boolean | undefined): string => (v === undefined || v === '' ? '(empty)' : String(v));
