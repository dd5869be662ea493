import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { createHttpClient } from '../../src/net/http.js';

describe('proxies with the lazily built dispatchers', () => {
  it('proxy credentials with a malformed %-escape are a usage error before any request, not a network failure', () => {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY']) {
      const env = { CREATIO_SSO_TEST: '1', [name]: 'http://user:%E0%A4%A@127.0.0.1:3128' };
      expect(() => createHttpClient({ env, timeoutMs: 1000 }), name).toThrow(UsageError);
    }
  });
});
