import { judgeAuthorizeAnswer, type AuthorizeExpectation, type AuthorizeVerdict } from '../core/creatio/authorize.js';
import { pinCreatioSite, pinIdentityService } from '../core/creatio/trust.js';
import type { Finding } from '../core/findings.js';
import type { HttpClient } from '../net/types.js';
import { CreatioClient, CreatioFailure, type CreatioAuth } from './client.js';

/**
 * From explicit inputs (the settings the commands resolve) to a Creatio client whose credentials follow
 * their source (§10). Nothing here reads the environment: the caller passes what it resolved.
 */
export interface CreatioConnectInput {
  /** --creatio-url or CREATIO_SSO_CREATIO_URL; undefined when neither is given. */
  pinnedUrl?: string | undefined;
  /** creatio.url from the config file. */
  fileUrl?: string | undefined;
  /** CREATIO_SSO_CREATIO_USERNAME + CREATIO_SSO_CREATIO_PASSWORD (or --creatio-password-stdin). */
  userName?: string | undefined;
  password?: string | undefined;
  /** CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID + CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET. */
  oauthClientId?: string | undefined;
  oauthClientSecret?: string | undefined;
  /** CREATIO_SSO_CREATIO_IDENTITY_URL. */
  identityUrl?: string | undefined;
}

export type CreatioConnection =
  | { kind: 'signed-in'; client: CreatioClient; overridesFile: boolean }
  /** No Creatio credentials: the half is skipped (plan) or only the anonymous check runs (doctor). */
  | { kind: 'no-credentials'; reason: string }
  /** trust/unpinned-host (exit 2). */
  | { kind: 'refused'; findings: Finding[] };

export const NO_CREATIO_CREDENTIALS =
  'no Creatio credentials: set CREATIO_SSO_CREATIO_USERNAME and CREATIO_SSO_CREATIO_PASSWORD, or CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID and CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET';

export function connectCreatio(http: HttpClient, input: CreatioConnectInput): CreatioConnection {
  const forms = input.userName !== undefined && input.password !== undefined;
  const oauth = input.oauthClientId !== undefined && input.oauthClientSecret !== undefined;
  if (!forms && !oauth) return { kind: 'no-credentials', reason: NO_CREATIO_CREDENTIALS };
  const site = pinCreatioSite(input.pinnedUrl, input.fileUrl);
  if (!site.ok) return { kind: 'refused', findings: [site.finding] };
  let auth: CreatioAuth;
  if (forms) auth = { kind: 'forms', userName: input.userName!, password: input.password! };
  else {
    const identity = pinIdentityService(site.site, input.identityUrl);
    if (!identity.ok) return { kind: 'refused', findings: [identity.finding] };
    auth = { kind: 'oauth', clientId: input.oauthClientId!, clientSecret: input.oauthClientSecret!, identityUrl: identity.identityUrl };
  }
  return { kind: 'signed-in', client: new CreatioClient({ http, site: site.site, auth }), overridesFile: site.overridesFile };
}

/** doctor's anonymous check of Creatio's own authorize URL (§12): the answer judged, or the failure as a finding. */
export async function checkCreatioAuthorize(client: CreatioClient, expect: AuthorizeExpectation): Promise<AuthorizeVerdict> {
  try {
    const res = await client.getOpenIdAuthorizeUrl(expect.providerCode);
    return judgeAuthorizeAnswer({ status: res.status, contentType: res.headers['content-type'], body: res.body }, expect);
  } catch (e) {
    if (e instanceof CreatioFailure) return { findings: [e.finding] };
    throw e;
  }
}
