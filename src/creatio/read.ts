import type { CreatioLiveState, DesiredCreatio, ProviderRecord } from '../core/creatio/provider.js';
import { FEATURE_CODE, MOBILE_SETTING, PROVIDER_RESOURCE, PROVIDER_FIELDS } from '../core/creatio/provider.js';
import { DataValueType, type CreatioClient, type EqualsFilter, type Row } from './client.js';

/** The manual steps the failure messages point to (SETUP.md's sections). */
export const MANUAL = {
  feature: 'Switch on the feature EnableOpenIDAuth at <CreatioURL>/0/Flags by hand (SETUP.md, "Creatio: switch on OpenID Connect")',
  provider:
    'Set up the provider by hand in System Designer → Single Sign On configuration → Cognito AWS (SETUP.md, "Creatio: the Cognito provider")',
  mobile: 'Set the system setting MobileUseSSO by hand in System Designer → System settings (SETUP.md, "Creatio: mobile app")',
} as const;

const READ_COLUMNS = ['Id', 'Code', ...PROVIDER_FIELDS, 'IsDefault'] as const;

/**
 * Read what the Creatio half of the plan needs: the feature (on-site), every provider that could be ours
 * (by Code or by ClientID, in one query) and MobileUseSSO. Throws CreatioFailure on any unexpected answer.
 */
export async function readCreatioState(client: CreatioClient, desired: DesiredCreatio): Promise<CreatioLiveState> {
  const featureEnabled = desired.deployment === 'on-site' ? await client.getFeatureState(FEATURE_CODE, MANUAL.feature) : undefined;
  const providers = await readProviders(client, desired);
  const settings = await client.querySysSettings([MOBILE_SETTING], MANUAL.mobile);
  return { featureEnabled, providers, mobileUseSso: settings[MOBILE_SETTING] === true };
}

/** SsoProvider: the record behind the virtual entity (same Id), where the code lives. */
const SSO_PROVIDER = 'SsoProvider';

/**
 * Every record that could be ours, as Creatio's own SSO pages find them (§12). The virtual entity cannot be
 * filtered by Code (its query executor filters SsoOpenIdSettings, which has none), so: by code through
 * SsoProvider, then SsoOpenIdProvider by that Id; by client ID with a ClientID filter on the virtual entity.
 */
export async function readProviders(
  client: CreatioClient,
  want: { providerCode?: string | undefined; clientId: string },
): Promise<ProviderRecord[]> {
  const found = new Map<string, ProviderRecord>();
  const key = (id: string) => id.toLowerCase();
  const byIds = (ids: readonly string[]): EqualsFilter[] => ids.map((id) => ({ column: 'Id', type: DataValueType.guid, value: id }));
  const idsOf = (rows: Row[]) => rows.map((r) => r.Id).filter((id): id is string => typeof id === 'string' && id !== '');
  const codes = new Map<string, string>();
  const noteCodes = (rows: Row[]) => {
    for (const r of rows) if (typeof r.Id === 'string' && typeof r.Code === 'string') codes.set(key(r.Id), r.Code);
  };

  if (want.providerCode !== undefined) {
    const code = [{ column: 'Code', type: DataValueType.text, value: want.providerCode }];
    const owners = await client.select(SSO_PROVIDER, ['Id', 'Code'], code, 'and', MANUAL.provider);
    noteCodes(owners);
    const ids = idsOf(owners);
    if (ids.length) {
      for (const row of await client.select(PROVIDER_RESOURCE, READ_COLUMNS, byIds(ids), 'or', MANUAL.provider)) {
        const record = toProviderRecord(row);
        found.set(key(record.Id), record);
      }
    }
  }
  const byClientId = [{ column: 'ClientID', type: DataValueType.text, value: want.clientId }];
  for (const row of await client.select(PROVIDER_RESOURCE, READ_COLUMNS, byClientId, 'and', MANUAL.provider)) {
    const record = toProviderRecord(row);
    if (!found.has(key(record.Id))) found.set(key(record.Id), record);
  }
  // The code is SsoProvider's: where the virtual entity left it empty, read it there by Id.
  const codeless = [...found.values()].filter((r) => r.Code === '' && r.Id !== '' && !codes.has(key(r.Id))).map((r) => r.Id);
  if (codeless.length) noteCodes(await client.select(SSO_PROVIDER, ['Id', 'Code'], byIds(codeless), 'or', MANUAL.provider));
  return [...found.values()].map((r) => ({ ...r, Code: codes.get(key(r.Id)) ?? r.Code }));
}

/** A row as DataService answers it: lookups as `{value, displayValue}` or a plain GUID; both accepted. */
export function toProviderRecord(row: Row): ProviderRecord {
  const text = (k: string): string | undefined => (typeof row[k] === 'string' ? (row[k] as string) : undefined);
  const lookup = row.SsoSettingsTemplate;
  const template =
    typeof lookup === 'string'
      ? lookup
      : lookup !== null && typeof lookup === 'object' && typeof (lookup as { value?: unknown }).value === 'string'
        ? (lookup as { value: string }).value
        : undefined;
  const record: ProviderRecord = { Id: text('Id') ?? '', Code: text('Code') ?? '' };
  for (const f of PROVIDER_FIELDS) {
    const v = f === 'SsoSettingsTemplate' ? template : text(f);
    if (v !== undefined) record[f] = v;
  }
  if (typeof row.IsDefault === 'boolean') record.IsDefault = row.IsDefault;
  return record;
}
