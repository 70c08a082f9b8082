import { describe, expect, it } from 'vitest';
import { safeNextPath } from './session-cookie';

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
