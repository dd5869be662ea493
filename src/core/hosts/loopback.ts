/**
 * The one definition of loopback (SPEC §10 "Never in cleartext"): exactly `localhost`, `127.0.0.0/8` and
 * `[::1]`. Not `*.localhost` and not any other name: a name is whatever DNS (or /etc/hosts, or a proxy)
 * makes of it, so only these never leave the machine. Every rule that lets a credential travel over
 * `http:` asks this; Cognito's own rule for http callback URLs is another rule (core/creatio/identifiers.ts).
 */

const IPV4_LOOPBACK =
  /^127\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** A URL's `hostname` (IPv6 in brackets, as WHATWG URL gives it) or a bare host. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  return IPV4_LOOPBACK.test(h);
}

/** The URL's host is loopback; a value that does not parse is not. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}
