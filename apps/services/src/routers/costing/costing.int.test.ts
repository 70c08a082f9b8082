import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsThreeTier } from '@dharma/db/seed/sample-graphs';
import { callerFor, makeDeps, memberWith, scratchTenant } from '../../testing/harness';

let deps: ReturnType<typeof makeDeps>;
let t: Awaited<ReturnType<typeof scratchTenant>>;
let other: Awaited<ReturnType<typeof scratchTenant>>;
beforeAll(async () => {
  deps = makeDeps();
  [t, other] = await Promise.all([scratchTenant('cost'), scratchTenant('cost-other')]);
});
afterAll(() => deps.close());

const outcome = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`));

describe('costing', () => {
  it("estimates a version (a viewer may read it), says what it cannot price, and diffs two versions", async () => {
    const admin = await callerFor(deps, t.admin);
    const bp = await admin.blueprints.create({ projectId: t.projectId, name: 'priced', description: '', cloud: 'aws', graph: awsThreeTier(1), message: 'v1' });
    await admin.blueprints.saveVersion({ id: bp.id, baseVersion: 1, graph: awsThreeTier(2), message: 'bigger web tier, a cache' });
    const viewer = await callerFor(deps, await memberWith(t, ['viewer'], 'viewer'));
    const e1 = await viewer.costing.estimate({ id: bp.id, number: 1 });
    expect(e1.coverage.total).toBe(awsThreeTier(1).components.length);
    expect(e1.components.find((c) => c.componentId === 'cdn')).toMatchObject({ status: 'unpriced', monthly: 0 });
    expect(e1.coverage.missing.map((m) => m.componentId)).toContain('cdn');
    // db: db.r6g.large Multi-AZ in eu-west-1: 0.25 × 730 × 2 + 200 GB × 2 × 0.127 = 365 + 50.80
    expect(e1.components.find((c) => c.componentId === 'db')!.monthly).toBe(415.8);
    const d = await viewer.costing.diff({ id: bp.id, from: 1, to: 2 });
    // Version 2 adds a cache (2 × cache.r6g.large: 0.228 × 730 × 2 = 332.88); m5.large and m6i.large cost the same here.
    expect(d.components).toEqual([{ componentId: 'cache', before: null, after: 332.88, change: 332.88 }]);
    expect(d).toMatchObject({ from: 1, to: 2, change: 332.88, monthlyBefore: e1.monthly });
  });

  it('another tenant gets not found; bad input names the field', async () => {
    const admin = await callerFor(deps, t.admin);
    const bp = await admin.blueprints.create({ projectId: t.projectId, name: 'private cost', description: '', cloud: 'aws', graph: awsThreeTier(1), message: 'v1' });
    const intruder = await callerFor(deps, other.admin);
    expect(await outcome(intruder.costing.estimate({ id: bp.id, number: 1 }))).toBe('NOT_FOUND: blueprint not found');
    expect(await outcome(admin.costing.estimate({ id: bp.id, number: 3 }))).toBe('NOT_FOUND: version 3 of the blueprint not found');
    expect(await outcome(admin.costing.diff({ id: bp.id, from: 0, to: 1 }))).toMatch(/^BAD_REQUEST: .*from/s);
  });
});
