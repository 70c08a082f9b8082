import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsThreeTier } from '@dharma/db/seed/sample-graphs';
import { callerFor, makeDeps, memberWith, scratchTenant } from '../../testing/harness';

/** The blueprint lifecycle through the real stack: review, the guardrail gate, reviewers, history, cached reads. */
let deps: ReturnType<typeof makeDeps>;
let t: Awaited<ReturnType<typeof scratchTenant>>;
let other: Awaited<ReturnType<typeof scratchTenant>>;
beforeAll(async () => {
  deps = makeDeps();
  [t, other] = await Promise.all([scratchTenant('life'), scratchTenant('life-other')]);
});
afterAll(() => deps.close());

const outcome = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`));
const good = () => awsThreeTier(3);
/** The same design with its database open to the internet: a critical, hard guardrail failure. */
const publicDb = () => {
  const g = awsThreeTier(3);
  g.components = g.components.map((c) => (c.id === 'db' ? { ...c, properties: { ...c.properties, publiclyAccessible: true } } : c));
  return g;
};
const create = (name: string, graph: ReturnType<typeof good>) => ({ projectId: t.projectId, name, description: '', cloud: 'aws' as const, graph, message: 'v1' });

describe('blueprint lifecycle', () => {
  it('draft -> review -> approved by another person; a new version is a draft again, the approved version kept', async () => {
    const author = await callerFor(deps, await memberWith(t, ['solution_architect'], 'author'));
    const reviewer = await callerFor(deps, await memberWith(t, ['enterprise_architect'], 'reviewer'));
    const bp = await author.blueprints.create(create('lifecycle', good()));
    expect(await outcome(author.blueprints.decideReview({ id: bp.id, decision: 'approve' }))).toMatch(/^FORBIDDEN: missing permission approval:approve/);
    await author.blueprints.requestReview({ id: bp.id, version: 1, comment: 'ready' });
    expect((await author.blueprints.byId({ id: bp.id })).status).toBe('review');
    expect((await author.blueprints.list({ status: 'review' })).items.map((b) => b.id)).toContain(bp.id);
    expect(await outcome(author.blueprints.requestReview({ id: bp.id, version: 1 }))).toBe('CONFLICT: the blueprint is review (version 1); only a draft can be sent for review');

    const decided = await reviewer.blueprints.decideReview({ id: bp.id, decision: 'approve', comment: 'looks right' });
    expect(decided).toMatchObject({ status: 'approved', version: 1 });
    expect((await author.blueprints.byId({ id: bp.id })).status).toBe('approved');
    expect((await author.blueprints.list({ status: 'review' })).items.map((b) => b.id)).not.toContain(bp.id);
    expect((await reviewer.guardrails.exemptions({ id: bp.id })).evaluations.map((e) => e.version)).toEqual([1]);

    const g2 = good();
    g2.components[0]!.tags = { ...g2.components[0]!.tags, Note: 'v2' };
    await author.blueprints.saveVersion({ id: bp.id, baseVersion: 1, graph: g2, message: 'v2' });
    const life = await author.blueprints.lifecycle({ id: bp.id });
    expect(life).toMatchObject({ status: 'draft', currentVersion: 2, approvedVersion: 1, reviewVersion: null });
    expect((await author.blueprints.byId({ id: bp.id })).status).toBe('draft');
    expect(life.history.map((h) => h.action)).toEqual(['blueprint.save_version', 'blueprint.approve', 'blueprint.request_review', 'blueprint.create']);
    expect(life.history[1]!.after).toMatchObject({ status: 'approved', version: 1, comment: 'looks right' });
  });

  it('a version with an unwaived hard guardrail failure cannot be approved; waived, it can', async () => {
    const author = await callerFor(deps, await memberWith(t, ['solution_architect'], 'author2'));
    const ea = await memberWith(t, ['enterprise_architect'], 'ea');
    const reviewer = await callerFor(deps, ea);
    const bp = await author.blueprints.create(create('gated', publicDb()));
    await author.blueprints.requestReview({ id: bp.id, version: 1 });
    expect(await outcome(reviewer.blueprints.decideReview({ id: bp.id, decision: 'approve' }))).toBe('PRECONDITION_FAILED: version 1 has 1 guardrail failure(s) not waived or overridden (first: No public databases on db): it cannot be approved');
    expect((await author.blueprints.byId({ id: bp.id })).status).toBe('review');
    const { id } = await author.guardrails.requestWaiver({ id: bp.id, policyKey: 'no-public-database', reason: 'read replica for a partner until March', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    await (await callerFor(deps, t.admin)).guardrails.approveWaiver({ exemptionId: id });
    expect(await reviewer.blueprints.decideReview({ id: bp.id, decision: 'approve' })).toMatchObject({ status: 'approved' });
  });

  it('the author cannot decide their own version; a rejection needs a reason and returns it to draft', async () => {
    const ea = await memberWith(t, ['enterprise_architect'], 'ea-author');
    const eaCaller = await callerFor(deps, ea);
    const bp = await eaCaller.blueprints.create(create('self review', good()));
    await eaCaller.blueprints.requestReview({ id: bp.id, version: 1 });
    expect(await outcome(eaCaller.blueprints.decideReview({ id: bp.id, decision: 'approve' }))).toBe('FORBIDDEN: you wrote version 1: another reviewer must decide');
    const pm = await callerFor(deps, await memberWith(t, ['project_manager'], 'pm'));
    expect(await outcome(pm.blueprints.decideReview({ id: bp.id, decision: 'reject' }))).toBe('BAD_REQUEST: say why the version is rejected');
    expect(await pm.blueprints.decideReview({ id: bp.id, decision: 'reject', comment: 'needs a cache tier' })).toMatchObject({ status: 'draft', score: null });
    expect((await eaCaller.blueprints.lifecycle({ id: bp.id })).status).toBe('draft');
    expect(await outcome(pm.blueprints.decideReview({ id: bp.id, decision: 'approve' }))).toBe('CONFLICT: the blueprint is draft, not in review');
    await eaCaller.blueprints.deprecate({ id: bp.id, comment: 'superseded by v2 design' });
    expect((await eaCaller.blueprints.byId({ id: bp.id })).status).toBe('deprecated');
    expect(await outcome(eaCaller.blueprints.requestReview({ id: bp.id, version: 1 }))).toBe('CONFLICT: the blueprint is deprecated; only a draft can be sent for review');
  });

  it('bad input names the field; another tenant gets not found', async () => {
    const admin = await callerFor(deps, t.admin);
    const bp = await admin.blueprints.create(create('inputs', good()));
    expect(await outcome(admin.blueprints.requestReview({ id: bp.id, version: 7 }))).toBe('NOT_FOUND: version 7 of the blueprint not found');
    expect(await outcome(admin.blueprints.requestReview({ id: bp.id, version: 0 }))).toMatch(/^BAD_REQUEST: .*version/s);
    expect(await outcome(admin.blueprints.deprecate({ id: bp.id, comment: '' }))).toMatch(/^BAD_REQUEST: .*comment/s);
    const intruder = await callerFor(deps, other.admin);
    expect(await outcome(intruder.blueprints.lifecycle({ id: bp.id }))).toBe('NOT_FOUND: blueprint not found');
    expect(await outcome(intruder.blueprints.requestReview({ id: bp.id, version: 1 }))).toBe('NOT_FOUND: blueprint not found');
    expect(await outcome(intruder.blueprints.decideReview({ id: bp.id, decision: 'reject', comment: 'no' }))).toBe('NOT_FOUND: blueprint not found');
    expect(await outcome(intruder.blueprints.deprecate({ id: bp.id, comment: 'mine now' }))).toBe('NOT_FOUND: blueprint not found');
  });
});
