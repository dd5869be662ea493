import type { Finding, FindingCode } from '../core/findings.js';

/**
 * The codes that mean "could not be checked" rather than "is wrong" (network, timeout, TLS, proxy).
 * They carry severity error, but a run whose only errors are these exits 3, not 1. A module of its own
 * so commands can judge findings without loading the HTTP stack.
 */
export const INCONCLUSIVE_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'discovery/unreachable',
  'jwks/unreachable',
  'hosted-ui/unreachable',
  'aws/unreachable',
  // SPEC §11: Cognito's rate limit outlasted the retries: try again later, nothing is wrong with the config.
  'aws/throttled',
  // SPEC §15: the Creatio site (or its identity service) did not answer.
  'creatio/unreachable',
  // SPEC §15: the login proof could not be completed (a challenge it cannot answer, Cognito did not answer).
  'login/challenge',
  'login/unreachable',
]);

export const isInconclusive = (f: Finding): boolean => INCONCLUSIVE_CODES.has(f.code);
