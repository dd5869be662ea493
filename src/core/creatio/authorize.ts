import { CREATIO_SCOPES } from './identifiers.js';
import { finding, type Finding } from '../findings.js';
import { clipValue } from '../text.js';

/**
 * The judge of Creatio's own authorize URL (§12): `GetOpenIdAuthorizeUrl` answers a JSON string, the exact
 * URL Creatio sends users to. It must point at the configured hosted UI domain's `/oauth2/authorize`, with
 * our client ID, the callback URL registered in Cognito and no scope beyond the four Cognito allows.
 */
export interface AuthorizeExpectation {
  /** The configured hosted UI domain host (canonical, never an override). */
  domainHost: string;
  clientId: string;
  /** `<CreatioURL>/ServiceModel/AuthService.svc/OpenIdCallback`. */
  callbackUrl: string;
  providerCode: string;
}

export interface AuthorizeAnswer {
  status: number;
  contentType?: string | undefined;
  body: string;
}

export const AUTHORIZE_REQUEST = 'POST <root>/ServiceModel/AuthService.svc/GetOpenIdAuthorizeUrl';
const ALLOWED_SCOPES = new Set<string>(CREATIO_SCOPES);

export interface AuthorizeVerdict {
  findings: Finding[];
  /** The URL Creatio answered, when it answered one. */
  url?: string;
}

export function judgeAuthorizeAnswer(answer: AuthorizeAnswer, expect: AuthorizeExpectation): AuthorizeVerdict {
  const unexpected = (what: string): AuthorizeVerdict => ({
    findings: [
      finding(
        'creatio/api-unexpected',
        'provider.code',
        `${AUTHORIZE_REQUEST} for the provider ${expect.providerCode} answered ${what}. Check the provider in System Designer → Single Sign On configuration.`,
      ),
    ],
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    const html = /^\s*</.test(answer.body) || /html/i.test(answer.contentType ?? '');
    return unexpected(`HTTP ${answer.status} with ${html ? 'an HTML page' : 'a body that is not JSON'} instead of a URL`);
  }
  if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { Message?: unknown }).Message === 'string') {
    const message = clipValue((parsed as { Message: string }).Message, 200);
    return {
      findings: [
        finding(
          'creatio/provider-unknown',
          'provider.code',
          `Creatio does not know the SSO provider ${expect.providerCode} (it answered "${message}"). Copy the code from Creatio's SSO list into provider.code, or run apply.`,
        ),
      ],
    };
  }
  if (answer.status < 200 || answer.status > 299) return unexpected(`HTTP ${answer.status}`);
  if (typeof parsed !== 'string') return unexpected('JSON that is not a URL string');
  let url: URL;
  try {
    url = new URL(parsed);
  } catch {
    return unexpected(`"${clipValue(parsed, 200)}", which is not a URL`);
  }

  const findings: Finding[] = [];
  const mismatch = (field: string, actual: string, wanted: string, why = '') =>
    findings.push(
      finding(
        'creatio/authorize-mismatch',
        'provider',
        `Creatio's authorize URL for ${expect.providerCode} has ${field} ${actual || '(none)'}, expected ${wanted}${why}. Correct the provider in Creatio (or run apply).`,
      ),
    );
  if (url.protocol !== 'https:') mismatch('scheme', url.protocol.replace(/:$/, ''), 'https');
  if (url.host.toLowerCase() !== expect.domainHost.toLowerCase())
    mismatch('host', url.host, expect.domainHost, ' (the provider Url must be the hosted UI domain)');
  if (url.pathname !== '/oauth2/authorize') mismatch('path', url.pathname, '/oauth2/authorize');
  const clientId = url.searchParams.get('client_id') ?? '';
  if (clientId !== expect.clientId) mismatch('client_id', clientId, expect.clientId);
  const redirect = url.searchParams.get('redirect_uri') ?? '';
  if (redirect !== expect.callbackUrl) {
    const behindProxy = redirect.startsWith('http:') && `https:${redirect.slice('http:'.length)}` === expect.callbackUrl;
    mismatch(
      'redirect_uri',
      redirect,
      expect.callbackUrl,
      behindProxy
        ? ': Creatio runs behind a TLS proxy that does not tell it the request was https (forward X-Forwarded-Proto and let Creatio honour it), so Cognito will refuse the http callback'
        : '',
    );
  }
  const scopes = (url.searchParams.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
  const extra = scopes.filter((s) => !ALLOWED_SCOPES.has(s));
  if (extra.length > 0) mismatch('scope', scopes.join(' '), `scopes within ${CREATIO_SCOPES.join(' ')}`);
  return { findings, url: parsed };
}
