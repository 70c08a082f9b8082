import { describe, expect, it } from 'vitest';
import { allowedScope, scopeCovers } from './rbac';

describe('allowedScope', () => {
  it('gives admins every action through manage', () => {
    expect(allowedScope(['admin'], 'blueprint', 'delete')).toBe('tenant');
  });
  it('gives only admins the platform figures (system at global scope); other readers stay in their tenant', () => {
    expect(allowedScope(['admin'], 'system', 'read')).toBe('global');
    expect(allowedScope(['admin'], 'system', 'update')).toBe('tenant');
    expect(allowedScope(['sre'], 'system', 'read')).toBe('tenant');
    expect(allowedScope(['viewer'], 'system', 'read')).toBeNull();
  });
  it('keeps viewers read-only', () => {
    expect(allowedScope(['viewer'], 'blueprint', 'read')).toBe('tenant');
    expect(allowedScope(['viewer'], 'blueprint', 'update')).toBeNull();
    expect(allowedScope(['viewer'], 'blueprint', 'create')).toBeNull();
  });
  it('limits solution architects to their own blueprints for updates', () => {
    expect(allowedScope(['solution_architect'], 'blueprint', 'update')).toBe('own');
    expect(allowedScope(['solution_architect'], 'blueprint', 'create')).toBe('tenant');
  });
  it('takes the widest scope across several roles', () => {
    expect(allowedScope(['solution_architect', 'technical_architect'], 'blueprint', 'update')).toBe('tenant');
  });
  it('grants nothing to no roles', () => {
    expect(allowedScope([], 'blueprint', 'read')).toBeNull();
  });
});

describe('scopeCovers', () => {
  it('lets own scope touch the owner\'s records, and team scope also those of the holder\'s teams\' projects', () => {
    const a = { userId: 'a', teamIds: ['t1'] };
    expect(scopeCovers('own', a, { ownerId: 'a', teamId: null })).toBe(true);
    expect(scopeCovers('own', a, { ownerId: 'b', teamId: 't1' })).toBe(false);
    expect(scopeCovers('own', a, { ownerId: null, teamId: null })).toBe(false);
    expect(scopeCovers('team', a, { ownerId: 'b', teamId: 't1' })).toBe(true);
    expect(scopeCovers('team', a, { ownerId: 'a', teamId: 't2' })).toBe(true);
    expect(scopeCovers('team', a, { ownerId: 'b', teamId: 't2' })).toBe(false);
    expect(scopeCovers('team', a, { ownerId: 'b', teamId: null })).toBe(false);
    expect(scopeCovers('tenant', a, { ownerId: 'b', teamId: null })).toBe(true);
  });
});
