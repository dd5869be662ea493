import type { CreatioLiveState, DesiredCreatio, ProviderRecord } from '../core/creatio-provider.js';
import { FEATURE_CODE, MOBILE_SETTING, PROVIDER_RESOURCE, PROVIDER_FIELDS } from '../core/creatio-provider.js';
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

export async function readProviders(
  client: CreatioClient,
  want: { providerCode?: string | undefined; clientId: string },
): Promise<ProviderRecord[]> {
  const filters: EqualsFilter[] = [{ column: 'ClientID', type: DataValueType.text, value: want.clientId }];
  if (want.providerCode !== undefined) filters.unshift({ column: 'Code', type: DataValueType.text, value: want.providerCode });
  const rows = await client.select(PROVIDER_RESOURCE, READ_COLUMNS, filters, 'or', MANUAL.provider);
  return rows.map(toProviderRecord);
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
