import { describe, expect, it } from 'vitest';
import { hasSessionCookie, safeNextPath } from './session-cookie';

describe('safeNextPath', () => {
  it('keeps console paths with their query', () => {
    expect(safeNextPath('/blueprints?page=2&cloud=aws')).toBe('/blueprints?page=2&cloud=aws');
    expect(safeNextPath('/system')).toBe('/system');
  });

  it('sends anything else to the blueprint list: other hosts, sign-in itself (a loop), API routes', () => {
    for (const bad of ['//evil.test/x', '/\\evil.test', 'https://evil.test', '/signin', '/signin?next=%2Fsystem', '/api/session/expired', 42, null]) {
      expect(safeNextPath(bad)).toBe('/blueprints');
    }
  });
});

describe('hasSessionCookie', () => {
  it('sees the Auth.js session cookie, secure or not, whole or chunked', () => {
    for (const names of [['authjs.session-token'], ['__Secure-authjs.session-token'], ['other', 'authjs.session-token.0', 'authjs.session-token.1']]) {
      expect(hasSessionCookie(names)).toBe(true);
    }
  });

  it('ignores everything else, the CSRF and callback cookies of a sign-in in progress included', () => {
    expect(hasSessionCookie([])).toBe(false);
    expect(hasSessionCookie(['authjs.csrf-token', 'authjs.callback-url', 'authjs.pkce.code_verifier', 'dharma_token', 'authjs.session-tokenx'])).toBe(false);
  });
});
