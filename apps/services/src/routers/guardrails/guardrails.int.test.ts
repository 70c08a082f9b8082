import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '@dharma/guardrails/library';
import { asOwner, callerFor, makeDeps, memberWith, scratchTenant } from '../../testing/harness';
import { smallGraph } from '../../testing/graphs';

/** Guardrails through the real stack: the library, evaluation, waivers, overrides, permissions and bad input. */
let deps: ReturnType<typeof makeDeps>;
let t: Awaited<ReturnType<typeof scratchTenant>>;
let other: Awaited<ReturnType<typeof scratchTenant>>;
beforeAll(async () => {
  deps = makeDeps();
  [t, other] = await Promise.all([scratchTenant('guard'), scratchTenant('guard-other')]);
});
afterAll(() => deps.close());

const outcome = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`));
const tags = { Environment: 'prod', Owner: 'team', CostCenter: 'CC-9' };
/** A production design with a public database: the no-public-database policy (critical, hard) fails once. */
const publicDb = () => ({
  components: [
    { id: 'db', kind: 'database' as const, name: 'prod-app-db', cloud: 'aws' as const, region: 'eu-west-1', properties: { engine: 'postgres', multiAz: true, backupRetentionDays: 14, publiclyAccessible: true }, tags },
    { id: 'logs', kind: 'monitoring' as const, name: 'prod-app-logs', cloud: 'aws' as const, region: 'eu-west-1', properties: {}, tags },
  ],
  relations: [],
});
const create = (name: string, graph: ReturnType<typeof publicDb> | ReturnType<typeof smallGraph>) => ({ projectId: t.projectId, name, description: '', cloud: 'aws' as const, graph, message: 'v1' });
const eventsOf = (action: string, targetId: string) => asOwner(async (db) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where tenant_id = ${t.tenantId} and action = ${action} and target_id = ${targetId}`))[0]!.n);
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

describe('guardrails', () => {
  it('lists the default library; evaluates a version; records an evaluation with one audit event', async () => {
    const admin = await callerFor(deps, t.admin);
    expect((await admin.guardrails.policies()).map((p) => `${p.key}:${p.source}`)).toEqual(DEFAULT_POLICIES.map((p) => `${p.key}:default`).sort());
    const bp = await admin.blueprints.create(create('public db', publicDb()));
    const live = await admin.guardrails.evaluation({ id: bp.id, number: 1 });
    expect(live.findings.filter((f) => f.enforcement !== 'advisory').map((f) => `${f.policyKey} ${f.componentId}`)).toEqual(['no-public-database db']);
    expect(live).toMatchObject({ passed: false, blocking: 1 });
    const recorded = await admin.guardrails.evaluate({ id: bp.id, number: 1 });
    expect(recorded.score).toBe(live.score);
    expect((await admin.guardrails.exemptions({ id: bp.id })).evaluations.map((e) => e.version)).toEqual([1]);
    expect(await eventsOf('guardrail.evaluate', bp.id)).toBe(1);
  });

  it('a waiver counts once another person approves it; its requester cannot; revoked, the policy applies again', async () => {
    const architect = await callerFor(deps, await memberWith(t, ['solution_architect'], 'author'));
    const ea = await memberWith(t, ['enterprise_architect'], 'ea');
    const approver = await callerFor(deps, ea);
    const bp = await architect.blueprints.create(create('waived', publicDb()));
    const { id } = await architect.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'vendor migration until January', expiresAt: inDays(30) });
    expect((await architect.guardrails.evaluation({ id: bp.id, number: 1 })).blocking).toBe(1);
    expect(await outcome(architect.guardrails.approveWaiver({ exemptionId: id }))).toMatch(/^FORBIDDEN: missing permission guardrail:manage/);
    const self = await approver.guardrails.requestWaiver({ id: bp.id, policyKey: 'required-tags', reason: 'tags come from the pipeline', expiresAt: inDays(5) });
    expect(await outcome(approver.guardrails.approveWaiver({ exemptionId: self.id }))).toBe('FORBIDDEN: nobody approves their own waiver: ask another approver');
    await approver.guardrails.approveWaiver({ exemptionId: id });
    const waived = await architect.guardrails.evaluation({ id: bp.id, number: 1 });
    expect(waived).toMatchObject({ passed: true, blocking: 0 });
    expect(waived.findings.find((f) => f.policyKey === 'no-public-database')?.exemptedBy).toMatchObject({ id, kind: 'waiver' });
    expect((await architect.guardrails.exemptions({ id: bp.id })).exemptions.map((e) => `${e.policyKey}:${e.status}`)).toEqual(['required-tags:pending', 'no-public-database:active']);
    await approver.guardrails.revokeExemption({ exemptionId: id });
    expect((await architect.guardrails.evaluation({ id: bp.id, number: 1 })).blocking).toBe(1);
    expect(await eventsOf('guardrail.waiver_approve', bp.id)).toBe(1);
  });

  it('an expired waiver stops applying', async () => {
    const admin = await callerFor(deps, t.admin);
    const ea = await callerFor(deps, await memberWith(t, ['enterprise_architect'], 'ea2'));
    const bp = await admin.blueprints.create(create('expiring', publicDb()));
    const { id } = await admin.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'temporary exception for a test', expiresAt: inDays(1) });
    await ea.guardrails.approveWaiver({ exemptionId: id });
    expect((await admin.guardrails.evaluation({ id: bp.id, number: 1 })).blocking).toBe(0);
    await asOwner((db) => db.execute(sql`update guardrail_exemptions set expires_at = now() - interval '1 minute' where id = ${id}`));
    expect((await admin.guardrails.evaluation({ id: bp.id, number: 1 })).blocking).toBe(1);
    expect((await admin.guardrails.exemptions({ id: bp.id })).exemptions[0]!.status).toBe('expired');
  });

  it('an override needs the permission, a reason and a soft policy, and leaves an audit event', async () => {
    const admin = await callerFor(deps, t.admin);
    const bp = await admin.blueprints.create(create('untagged', { ...smallGraph() }));
    const tech = await callerFor(deps, await memberWith(t, ['technical_architect'], 'tech'));
    const sa = await callerFor(deps, await memberWith(t, ['solution_architect'], 'sa'));
    expect(await outcome(sa.guardrails.override({ id: bp.id, policyKey: 'required-tags', reason: 'tags are added at deploy time' }))).toMatch(/^FORBIDDEN: missing permission guardrail:override/);
    expect(await outcome(tech.guardrails.override({ id: bp.id, policyKey: 'no-public-database', reason: 'it is fine, really, trust me' }))).toBe('BAD_REQUEST: policy no-public-database is hard: only soft policies can be overridden; ask for a waiver');
    expect(await outcome(tech.guardrails.override({ id: bp.id, policyKey: 'required-tags', reason: 'short' }))).toMatch(/^BAD_REQUEST: .*reason.*at least 10 characters/s);
    const before = (await tech.guardrails.evaluation({ id: bp.id, number: 1 })).findings.filter((f) => f.policyKey === 'required-tags' && !f.exemptedBy).length;
    expect(before).toBe(3);
    await tech.guardrails.override({ id: bp.id, policyKey: 'required-tags', reason: 'tags are added at deploy time' });
    expect((await tech.guardrails.evaluation({ id: bp.id, number: 1 })).findings.filter((f) => f.policyKey === 'required-tags' && !f.exemptedBy)).toEqual([]);
    expect(await eventsOf('guardrail.override', bp.id)).toBe(1);
  });

  it('admins change and add policies; one that does not compile is refused saying where; test before saving', async () => {
    const admin = await callerFor(deps, t.admin);
    const bp = await admin.blueprints.create(create('policy test', smallGraph('m5.24xlarge')));
    const custom = { key: 'no-t3', name: 'No burstable instances', severity: 'low' as const, enforcement: 'advisory' as const, kinds: ['vm' as const], expression: "!c.properties.instanceType.startsWith('t3.')", message: 'use a non-burstable instance' };
    expect(await outcome(admin.guardrails.savePolicy({ ...custom, expression: "c.kind == 'vm' &&" }))).toMatch(/^BAD_REQUEST: expression does not compile: at 1:\d+/);
    expect(await outcome(admin.guardrails.savePolicy({ ...custom, when: '(' }))).toMatch(/^BAD_REQUEST: when does not compile/);
    expect(await outcome(admin.guardrails.savePolicy({ ...custom, key: 'Bad Key', severity: 'urgent' as 'low' }))).toMatch(/^BAD_REQUEST: .*key.*severity/s);
    const tested = await admin.guardrails.testPolicy({ id: bp.id, number: 1, policy: custom });
    expect(tested.findings).toEqual([]);
    await admin.guardrails.savePolicy(custom);
    await admin.guardrails.savePolicy({ ...DEFAULT_POLICIES.find((p) => p.key === 'instance-size-limit')!, kinds: ['vm', 'autoscaling_group'], when: null, enforcement: 'hard' });
    const library = await admin.guardrails.policies();
    expect(library.filter((p) => p.source !== 'default').map((p) => `${p.key}:${p.source}`)).toEqual(['instance-size-limit:modified', 'no-t3:custom']);
    expect((await admin.guardrails.evaluation({ id: bp.id, number: 1 })).findings.find((f) => f.policyKey === 'instance-size-limit')?.enforcement).toBe('hard');
    await admin.guardrails.resetPolicy({ key: 'instance-size-limit' });
    expect((await admin.guardrails.policies()).find((p) => p.key === 'instance-size-limit')?.source).toBe('default');
    expect(await outcome(admin.guardrails.resetPolicy({ key: 'instance-size-limit' }))).toBe('NOT_FOUND: policy instance-size-limit has no tenant change not found');
    expect(await eventsOf('guardrail.policy_save', 'no-t3')).toBe(1);
  });

  it('another tenant reads nothing of it: not found; bad input names the field', async () => {
    const admin = await callerFor(deps, t.admin);
    const bp = await admin.blueprints.create(create('private guard', publicDb()));
    const intruder = await callerFor(deps, other.admin);
    expect(await outcome(intruder.guardrails.evaluation({ id: bp.id, number: 1 }))).toBe('NOT_FOUND: blueprint not found');
    expect(await outcome(intruder.guardrails.exemptions({ id: bp.id }))).toBe('NOT_FOUND: blueprint not found');
    expect(await outcome(intruder.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'let me in please', expiresAt: inDays(3) }))).toBe('NOT_FOUND: blueprint not found');
    const { id } = await admin.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'a reason long enough', expiresAt: inDays(3) });
    expect(await outcome(intruder.guardrails.approveWaiver({ exemptionId: id }))).toBe('NOT_FOUND: exemption not found');
    expect(await outcome(admin.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-such-policy', reason: 'a reason long enough', expiresAt: inDays(3) }))).toBe("NOT_FOUND: no policy no-such-policy in this tenant's library");
    expect(await outcome(admin.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'a reason long enough', expiresAt: inDays(-1) }))).toBe('BAD_REQUEST: must be in the future');
    expect(await outcome(admin.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'a reason long enough', expiresAt: inDays(400) }))).toBe('BAD_REQUEST: must be within 366 days');
    expect(await outcome(admin.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'a reason long enough', expiresAt: 'tomorrow' }))).toMatch(/^BAD_REQUEST: .*expiresAt/s);
  });
});
