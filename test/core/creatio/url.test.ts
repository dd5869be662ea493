import { describe, expect, it } from 'vitest';
import { normalizeCreatioUrl } from '../../../src/core/creatio/identifiers.js';

describe('normalizeCreatioUrl', () => {
  it.each([
    ['https://acme.creatio.com', 'https://acme.creatio.com', []],
    ['https://acme.creatio.com/', 'https://acme.creatio.com', ['trailing slash']],
    ['https://ACME.Creatio.com', 'https://acme.creatio.com', []],
    ['https://acme.creatio.com:443/', 'https://acme.creatio.com', ['trailing slash']],
    ['https://acme.creatio.com:8443', 'https://acme.creatio.com:8443', []],
    [
      'https://acme.creatio.com/0/Shell/#Section/Contacts_ListPage',
      'https://acme.creatio.com',
      ['fragment "#Section/Contacts_ListPage"', 'page path "/0/Shell"'],
    ],
    [
      'https://acme.creatio.com/0/Nui/ViewModule.aspx#CardModuleV2/AccountPageV2',
      'https://acme.creatio.com',
      ['fragment "#CardModuleV2/AccountPageV2"', 'page path "/0/Nui/ViewModule.aspx"'],
    ],
    [
      'https://acme.creatio.com/Login/NuiLogin.aspx?ReturnUrl=%2f0%2fShell',
      'https://acme.creatio.com',
      ['query "?ReturnUrl=%2f0%2fShell"', 'page path "/Login/NuiLogin.aspx"'],
    ],
    ['https://crm.example.org/Demo_1/0/Shell/', 'https://crm.example.org/Demo_1', ['page path "/0/Shell"']],
    ['https://crm.example.org/Demo_1/', 'https://crm.example.org/Demo_1', ['trailing slash']],
    ['https://crm.example.org/Demo_1', 'https://crm.example.org/Demo_1', []],
    ['https://acme.creatio.com/0', 'https://acme.creatio.com', ['page path "/0"']],
    [
      'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
      'https://acme.creatio.com',
      ['page path "/ServiceModel/AuthService.svc/OpenIdCallback"'],
    ],
    ['  https://acme.creatio.com  ', 'https://acme.creatio.com', []],
    ['http://localhost:5000/0/Shell', 'http://localhost:5000', ['page path "/0/Shell"']],
  ])('%j → %s', (input, url, removed) => {
    const r = normalizeCreatioUrl(input);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.url).toBe(url);
      expect(r.removed).toEqual(removed);
    }
  });

  it.each(['acme', 'ftp://acme.creatio.com', 'https://', 'https://user:pw@acme.creatio.com', '/0/Shell', 'user@acme.creatio.com', ''])(
    '%j is not usable',
    (input) => expect(normalizeCreatioUrl(input).ok).toBe(false),
  );

  it.each([
    ['acme.creatio.com', 'https://acme.creatio.com'],
    ['localhost:5000/0/Shell', 'https://localhost:5000'],
  ])('a bare host %j gets https:// (%s)', (input, url) => {
    const r = normalizeCreatioUrl(input);
    expect(r.ok && [r.url, r.schemeAdded]).toEqual([url, true]);
  });

  it('marks http as insecure', () => {
    const r = normalizeCreatioUrl('http://acme.creatio.com');
    expect(r.ok && r.secure).toBe(false);
  });
});
