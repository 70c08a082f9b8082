import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsThreeTier } from '@dharma/db/seed/sample-graphs';
import { asOwner, callerFor, makeDeps, memberWith, scratchTenant } from '../../testing/harness';

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

/** A design of one EC2 instance with a 30 GB root volume in eu-west-1: (hourly × 730) + 30 × 0.088 a month. */
const oneVm = (instanceType: string) => ({ components: [{ id: 'web', kind: 'vm' as const, name: 'prod-app-web', cloud: 'aws' as const, region: 'eu-west-1', properties: { instanceType }, tags: { Environment: 'dev', Owner: 'app', CostCenter: 'CC-1' } }], relations: [] });
const alertsOf = (tenantId: string, blueprintId: string) => asOwner(async (db) => db.execute<{ level: string; version: number }>(sql`select level, version from budget_alerts where tenant_id = ${tenantId} and blueprint_id = ${blueprintId} order by version`));

describe('prices, discounts and budgets', () => {
  it('a private price and a discount change the estimate; bad units and unknown SKUs are refused naming the field', async () => {
    const tenant = await scratchTenant('prices');
    const admin = await callerFor(deps, tenant.admin);
    const bp = await admin.blueprints.create({ projectId: tenant.projectId, name: 'one vm', description: '', cloud: 'aws', graph: oneVm('m5.large'), message: 'v1' });
    // m5.large in eu-west-1: 0.107 × 730 = 78.11, + 2.64 of gp3
    expect((await admin.costing.estimate({ id: bp.id, number: 1 })).monthly).toBe(80.75);
    await admin.costing.savePrice({ cloud: 'aws', region: 'eu-west-1', sku: 'ec2:m5.large', unit: 'hour', price: 0.08, effective: '2026-11-01', source: 'EDP 2026' });
    expect((await admin.costing.estimate({ id: bp.id, number: 1 })).monthly).toBe(61.04);
    await admin.costing.saveDiscount({ cloud: 'aws', skuPrefix: 'ebs:', percent: 50 });
    expect((await admin.costing.estimate({ id: bp.id, number: 1 })).monthly).toBe(59.72);
    expect(await outcome(admin.costing.savePrice({ cloud: 'aws', region: 'eu-west-1', sku: 'ec2:m5.large', unit: 'GB-month', price: 1, effective: '2026-11-01' }))).toBe('BAD_REQUEST: ec2:m5.large is priced per hour, not per GB-month');
    expect(await outcome(admin.costing.savePrice({ cloud: 'aws', region: 'eu-west-1', sku: 'lightsail:nano', unit: 'hour', price: 1, effective: '2026-11-01' }))).toMatch(/^BAD_REQUEST: unknown SKU lightsail:nano/);
    expect(await outcome(admin.costing.savePrice({ cloud: 'aws', region: 'eu-west-1', sku: 'ec2:m5.large', unit: 'week' as 'hour', price: -1, effective: 'soon' }))).toMatch(/^BAD_REQUEST: .*unit.*price.*effective/s);
    const viewer = await callerFor(deps, await memberWith(tenant, ['viewer'], 'viewer'));
    expect(await outcome(viewer.costing.savePrice({ cloud: 'aws', region: 'eu-west-1', sku: 'ec2:m5.large', unit: 'hour', price: 0.01, effective: '2026-11-01' }))).toMatch(/^FORBIDDEN: missing permission costing:manage/);
    expect((await (await callerFor(deps, other.admin)).costing.pricing()).prices).toEqual([]);
  });

  it('a budget threshold raises exactly one alert per version, and a version past the budget cannot be approved', async () => {
    const tenant = await scratchTenant('budget');
    const admin = await callerFor(deps, tenant.admin);
    const pm = await callerFor(deps, await memberWith(tenant, ['project_manager'], 'pm'));
    // Budget 100 a month: m5.large (80.75) is 80.75%, m5.xlarge (0.214 × 730 + 2.64 = 158.86) is past it.
    await pm.costing.saveBudget({ projectId: tenant.projectId, amount: 100 });
    const bp = await admin.blueprints.create({ projectId: tenant.projectId, name: 'budgeted', description: '', cloud: 'aws', graph: oneVm('m5.large'), message: 'v1' });
    expect(await admin.costing.checkBudget({ id: bp.id, number: 1 })).toMatchObject({ raised: null, burn: { projected: 80.75, usePercent: 80.75, level: null } });
    await admin.blueprints.saveVersion({ id: bp.id, baseVersion: 1, graph: oneVm('m5.xlarge'), message: 'bigger' });
    // The check after the save runs off the request's path: wait for its alert.
    for (let i = 0; i < 50 && (await alertsOf(tenant.tenantId, bp.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await admin.costing.checkBudget({ id: bp.id, number: 2 })).raised).toBeNull();
    expect(await alertsOf(tenant.tenantId, bp.id)).toEqual([{ level: 'alert', version: 2 }]);
    expect((await pm.costing.alerts()).map((a) => `${a.blueprintName} v${a.version} ${a.level} ${a.projected}/${a.amount}`)).toEqual(['budgeted v2 alert 158.86/100']);

    // The budget-limit guardrail (soft) sees it too.
    const evaluation = await admin.guardrails.evaluation({ id: bp.id, number: 2 });
    expect(evaluation.findings.map((f) => `${f.policyKey} ${f.enforcement}`)).toEqual(['budget-limit soft']);
    await admin.blueprints.requestReview({ id: bp.id, version: 2 });
    expect(await outcome(pm.blueprints.decideReview({ id: bp.id, decision: 'approve' }))).toBe('PRECONDITION_FAILED: version 2 has 1 guardrail failure(s) not waived or overridden (first: Budget limit on the design): it cannot be approved');
    // Overriding the guardrail does not lift the budget itself.
    await admin.guardrails.override({ id: bp.id, policyKey: 'budget-limit', reason: 'the budget is raised next month' });
    expect(await outcome(pm.blueprints.decideReview({ id: bp.id, decision: 'approve' }))).toBe(`PRECONDITION_FAILED: version 2 would take project ${(await admin.projects.list())[0]!.name} to $158.86 a month, past its budget of $100.00 (alert at 100%): it cannot be approved`);
    await pm.costing.saveBudget({ projectId: tenant.projectId, amount: 170 });
    // 158.86 of 170 is 93%: a warning, which does not block.
    expect(await pm.blueprints.decideReview({ id: bp.id, decision: 'approve' })).toMatchObject({ status: 'approved' });
    expect(await outcome(pm.costing.saveBudget({ projectId: tenant.projectId, amount: -5, warnPercent: 120, alertPercent: 100 }))).toMatch(/^BAD_REQUEST: .*amount.*warnPercent/s);
    expect(await outcome(pm.costing.saveBudget({ projectId: other.projectId, amount: 5 }))).toBe('NOT_FOUND: project not found');
  });
});

describe('recommendations', () => {
  it('advises with savings from the price book; dismissed keeps a reason and is not advised again; accepted names its version', async () => {
    const tenant = await scratchTenant('recs');
    const admin = await callerFor(deps, tenant.admin);
    const big = { components: [{ id: 'web', kind: 'vm' as const, name: 'dev-app-web', cloud: 'aws' as const, region: 'eu-west-1', properties: { instanceType: 'm5.2xlarge' }, tags: { Environment: 'dev', Owner: 'app', CostCenter: 'CC-1' } }], relations: [] };
    const bp = await admin.blueprints.create({ projectId: tenant.projectId, name: 'recommended', description: '', cloud: 'aws', graph: big, message: 'v1' });
    const { open } = await admin.costing.recommendations({ id: bp.id, number: 1 });
    expect(open.map((r) => `${r.key} ${r.monthlySavings}`)).toEqual(['scheduled-shutdown:web 200.73', 'right-size:web 156.22']);
    expect(await outcome(admin.costing.decideRecommendation({ id: bp.id, number: 1, key: 'scheduled-shutdown:web', decision: 'dismissed', reason: '' }))).toBe('BAD_REQUEST: say why it is dismissed, in at least 5 characters');
    await admin.costing.decideRecommendation({ id: bp.id, number: 1, key: 'scheduled-shutdown:web', decision: 'dismissed', reason: 'runs nightly batch jobs' });
    expect(await outcome(admin.costing.decideRecommendation({ id: bp.id, number: 1, key: 'scheduled-shutdown:web', decision: 'dismissed', reason: 'again, twice' }))).toBe('CONFLICT: recommendation scheduled-shutdown:web was already decided');
    const after = await admin.costing.recommendations({ id: bp.id, number: 1 });
    expect(after.open.map((r) => r.key)).toEqual(['right-size:web']);
    expect(after.decided).toMatchObject([{ key: 'scheduled-shutdown:web', decision: 'dismissed', reason: 'runs nightly batch jobs', monthlySavings: 200.73 }]);
    const right = after.open[0]!;
    const saved = await admin.blueprints.saveVersion({ id: bp.id, baseVersion: 1, graph: { ...big, components: [{ ...big.components[0]!, properties: { ...big.components[0]!.properties, ...right.patch } }] }, message: right.title });
    await admin.costing.decideRecommendation({ id: bp.id, number: 1, key: right.key, decision: 'accepted', acceptedAs: saved.version });
    expect((await admin.costing.estimate({ id: bp.id, number: 2 })).monthly).toBe(Math.round((156.22 + 2.64) * 100) / 100);
    expect(await outcome(admin.costing.decideRecommendation({ id: bp.id, number: 1, key: 'nope:web', decision: 'dismissed', reason: 'not real' }))).toBe('NOT_FOUND: no recommendation nope:web for version 1');
    expect(await outcome((await callerFor(deps, other.admin)).costing.recommendations({ id: bp.id, number: 1 }))).toBe('NOT_FOUND: blueprint not found');
  });
});
