import { afterEach, describe, expect, it } from 'vitest';
import { parseSetCookie } from '../../src/creatio/client.js';
import { startFakeCreatio, type FakeCreatio, type FakeCreatioOptions } from '../support/fake-creatio.js';

/**
 * The Creatio stand-in (test/support/fake-creatio.ts) on its own: it refuses what a real Creatio refuses,
 * so that the suites that run against it can trust a success.
 */
const PASSWORD = 'Supervisor!1';

const open: FakeCreatio[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function fake(options: FakeCreatioOptions = {}): Promise<FakeCreatio> {
  const f = await startFakeCreatio(options);
  open.push(f);
  return f;
}

describe('the CSRF check of the stand-in', () => {
  it.each([
    ['BPMCSRF', 'bpm'],
    ['CRT_CSRF', 'crt'],
  ] as const)('the stand-in itself: cookies without the %s header (or with another value) get 401', async (csrfName, csrf) => {
    const f = await fake({ features: { EnableOpenIDAuth: 1 }, csrf });
    const login = await fetch(`${f.url}/ServiceModel/AuthService.svc/Login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ UserName: 'Supervisor', UserPassword: PASSWORD }),
    });
    expect(await login.json()).toMatchObject({ Code: 0 });
    const cookies = parseSetCookie(login.headers.getSetCookie().join(', '));
    expect(Object.keys(cookies).sort()).toEqual(['.ASPXAUTH', csrfName, 'BPMLOADER', 'UserName'].sort());
    const cookie = Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const ask = (headers: Record<string, string>) =>
      fetch(`${f.url}/0/rest/FeatureService/GetFeatureState`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"code":"EnableOpenIDAuth"}',
      });
    expect((await ask({ cookie })).status).toBe(401);
    expect((await ask({ cookie, [csrfName]: 'forged' })).status).toBe(401);
    expect((await ask({ [csrfName]: cookies[csrfName]! })).status).toBe(401);
    const other = csrfName === 'BPMCSRF' ? 'CRT_CSRF' : 'BPMCSRF';
    expect((await ask({ cookie, [other]: cookies[csrfName]! })).status).toBe(401);
    const ok = await ask({ cookie, [csrfName]: cookies[csrfName]! });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ FeatureState: 1 });
    expect(
      (
        await fetch(`${f.url}/DataService/json/SyncReply/SelectQuery`, {
          method: 'POST',
          headers: { cookie, [csrfName]: cookies[csrfName]! },
          body: '{}',
        })
      ).status,
    ).toBe(404);
  });
});
