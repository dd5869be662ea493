/**
 * creatio-sso as a library: the pure core, with no I/O. The CLI is built on exactly these functions.
 *
 *   import { deriveUrls, validateConfig } from 'creatio-sso';
 */
import type { ResolvedConfig } from './core/config/checks.js';
import type { Finding } from './core/findings.js';
import { validateConfigText, validateConfigValue } from './core/config/validate.js';

export { deriveUrls, issuerOf, type DerivedUrls, type UrlInputs } from './core/urls.js';
export {
  checkClaimTarget,
  checkClientId,
  checkClientSecretRef,
  checkClientSecretValue,
  checkConfig,
  checkCreatioUrl,
  checkDomain,
  checkProviderCode,
  checkRegion,
  checkUserPoolId,
  type Checked,
  type ConfigCheck,
  type ResolvedConfig,
} from './core/config/checks.js';
export {
  COGNITO_REGIONS,
  extractUserPoolId,
  parseDomain,
  prefixDomainHost,
  regionOfUserPoolId,
  type HostedUiDomain,
} from './core/cognito/identifiers.js';
export {
  CREATIO_SCOPES,
  COGNITO_SSO_TEMPLATE_ID,
  normalizeCreatioUrl,
  callbackUrlOf,
  signOutUrlOf,
  defaultProviderCode,
  providerCodeOf,
} from './core/creatio/identifiers.js';
export { checkHostName, type HostName, type IdnForms } from './core/hosts/names.js';
export { FINDING_CODES, type Finding, type FindingCode, type Severity } from './core/findings.js';
export { buildAppClient, buildRecord, type CognitoAppClientSettings, type CreatioSsoRecord } from './core/record.js';
export { ConfigSchema, configJsonSchema, type Config, type ConfigInput } from './core/config/schema.js';
export { parseSecretRef, type SecretRef } from './core/config/secret-ref.js';
export { parseConfigText, parseConfigValue } from './core/config/file.js';
export { positionMap, type Override } from './core/config/positions.js';

export interface ValidationResult {
  /** No error finding (warnings allowed). */
  ok: boolean;
  findings: Finding[];
  /** The checked, normalized config with its derived URLs, when ok. */
  resolved?: ResolvedConfig;
}

/**
 * Run every offline check on a config: the text of a YAML/JSON file (findings carry line and column)
 * or an already parsed object. Never throws on bad input: problems are findings.
 */
export function validateConfig(input: string | unknown): ValidationResult {
  const r = typeof input === 'string' ? validateConfigText(input) : validateConfigValue(input);
  return { ok: !r.findings.some((f) => f.severity === 'error'), findings: r.findings, ...(r.resolved ? { resolved: r.resolved } : {}) };
}
