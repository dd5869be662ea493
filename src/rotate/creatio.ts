/**
 * The Creatio side of `rotate` (§16 step 5, §12): sign in to the pinned site (§10), find the provider as
 * plan and apply find it (by code through SsoProvider, else by client ID), write its ClientSecret by Id
 * (UpdateQuery, DataValueType 24), then Creatio's own authorize check. ClientSecret is write-only: the
 * tool knows what Creatio holds only because it wrote it.
 */
import type { Context } from '../cli/context.js';
import type { ResolvedConfig } from '../core/config/checks.js';
import { identifyProvider, PROVIDER_RESOURCE } from '../core/creatio/provider.js';
import { finding, type Finding } from '../core/findings.js';
import { UsageError } from '../cli/errors.js';
import type { HttpClient } from '../net/types.js';
import type { FileSettings } from '../settings/resolve.js';
import { DataValueType, CreatioFailure, type CreatioClient } from '../creatio/client.js';
import { connectCreatio, NO_CREATIO_CREDENTIALS } from '../creatio/connect.js';
import { authorizeFindings } from '../creatio/half.js';
import { creatioHalfInput } from '../creatio/input.js';
import { MANUAL, readProviders } from '../creatio/read.js';

export interface CreatioTarget {
  client: CreatioClient;
  providerId: string;
  providerCode: string;
}

export class CreatioStop extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

/**
 * Step 0 for Creatio: credentials for the pinned site (else exit 2), then the provider record (read only).
 * Throws UsageError (no credentials, an unpinned site) or CreatioStop (the site refused, no provider).
 */
export async function openCreatio(
  settings: FileSettings,
  resolved: ResolvedConfig,
  opts: { creatioPasswordStdin?: boolean | undefined; creatioUrl?: string | undefined },
  ctx: Context,
  http: HttpClient,
): Promise<CreatioTarget> {
  const input = await creatioHalfInput(settings, resolved, opts, ctx);
  const c = connectCreatio(http, { pinnedUrl: input.pinnedUrl, fileUrl: input.fileUrl, ...input.credentials });
  if (c.kind === 'no-credentials') {
    const why = input.credentialsGap ? `incomplete Creatio credentials: ${input.credentialsGap}` : NO_CREATIO_CREDENTIALS;
    throw new UsageError(
      `rotate gives the new secret to Creatio: ${why}. Or pass --skip creatio to rotate at Cognito only (Creatio then needs the new secret by hand). Nothing was changed.`,
    );
  }
  if (c.kind === 'refused') throw new UsageError(`${c.findings.map((f) => f.message).join(' ')} Nothing was changed.`);
  let match;
  try {
    match = identifyProvider(await readProviders(c.client, { providerCode: input.providerCode, clientId: resolved.clientId }), {
      providerCode: input.providerCode,
      clientId: resolved.clientId,
    });
  } catch (e) {
    if (e instanceof CreatioFailure) throw new CreatioStop(e.finding);
    throw e;
  }
  if (match.kind === 'ambiguous') throw new CreatioStop(match.finding);
  if (match.kind === 'none') {
    throw new CreatioStop(
      finding(
        'creatio/provider-unknown',
        'provider.code',
        `Creatio has no SSO provider ${input.providerCode ? `with the code ${input.providerCode}` : `for the client ID ${resolved.clientId}`}, so there is no secret to rotate there: run creatio-sso apply first (or set provider.code). Nothing was changed.`,
      ),
    );
  }
  return { client: c.client, providerId: match.record.Id, providerCode: match.record.Code };
}

/**
 * Write the provider's ClientSecret, then Creatio's authorize check (§12). Returns the findings of the
 * check (empty: all well). Throws CreatioStop when the write is refused.
 */
export async function giveToCreatio(
  t: CreatioTarget,
  value: string,
  resolved: ResolvedConfig,
  /** Called the moment Creatio confirmed the write, before the check: a stop during the check must know it. */
  onWritten: () => void,
): Promise<Finding[]> {
  let rows: number;
  try {
    rows = await t.client.update(
      PROVIDER_RESOURCE,
      { ClientSecret: { type: DataValueType.secureText, value } },
      [{ column: 'Id', type: DataValueType.guid, value: t.providerId }],
      MANUAL.provider,
    );
  } catch (e) {
    if (e instanceof CreatioFailure) throw new CreatioStop(e.finding);
    throw e;
  }
  if (rows !== 1) {
    throw new CreatioStop(
      finding(
        'creatio/api-unexpected',
        'provider.code',
        `UpdateQuery on ${PROVIDER_RESOURCE} ${t.providerCode} changed ${rows} records, not 1.`,
      ),
    );
  }
  onWritten();
  return authorizeFindings(t.client, resolved, t.providerCode);
}
