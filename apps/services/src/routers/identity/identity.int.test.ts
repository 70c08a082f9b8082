import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiToken } from '@dharma/auth/api-token';
import { ROLES, scopeIn, systemPermissions, type TAction, type TResource, type TRole } from '@dharma/auth/rbac';
import { createDb } from '@dharma/db/client';
import { createClient } from '@dharma/sdk/client';
import { anonymousCaller, callerFor, makeDeps, memberWith, scratchTenant, startHttp, testEnv } from '../../testing/harness';
import { smallGraph } from '../../testing/graphs';

const deps = makeDeps();
let acme: Awaited<ReturnType<typeof scratchTenant>>;
let other: Awaited<ReturnType<typeof scratchTenant>>;
afterAll(() => deps.close());
beforeAll(async () => {
  [acme, other] = await Promise.all([scratchTenant('identity-a'), scratchTenant('identity-b')]);
});

const outcome = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : `unexpected: ${String(e)}`));
const message = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`));
const inAYear = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
const create = (name: string) => ({ projectId: acme.projectId, name, description: '', cloud: 'aws' as const, graph: smallGraph(), message: 'v1' });

/** The audit events of a tenant, read as the owner (oldest first). */
async function eventsOf(tenantId: string) {
  const owner = createDb({ url: testEnv.DATABASE_OWNER_URL, max: 1 });
  try {
    return await owner.db.execute<{ action: string; actor_id: string | null; target_id: string | null; request_id: string | null }>(
      sql`select action, actor_id, target_id, request_id from audit_events where tenant_id = ${tenantId} order by at, id`,
    );
  } finally {
    await owner.close();
  }
}

describe('permissions: every system role, decided as declared', () => {
  // Each procedure with the permission its builder declares; the expectation comes from the permission table.
  const calls: { name: string; resource: TResource; action: TAction; run: (c: Awaited<ReturnType<typeof callerFor>>) => Promise<unknown> }[] = [
    { name: 'blueprints.list', resource: 'blueprint', action: 'read', run: (c) => c.blueprints.list({}) },
    { name: 'blueprints.create', resource: 'blueprint', action: 'create', run: (c) => c.blueprints.create(create(`matrix-${Math.random()}`)) },
    { name: 'projects.list', resource: 'project', action: 'read', run: (c) => c.projects.list() },
    { name: 'users.list', resource: 'user', action: 'read', run: (c) => c.users.list() },
    { name: 'roles.list', resource: 'role', action: 'read', run: (c) => c.roles.list() },
    { name: 'audit.list', resource: 'audit', action: 'read', run: (c) => c.audit.list({}) },
    { name: 'tokens.list', resource: 'token', action: 'read', run: (c) => c.tokens.list({}) },
    { name: 'users.createServiceAccount', resource: 'user', action: 'create', run: (c) => c.users.createServiceAccount({ name: `svc ${Math.random()}` }) },
    { name: 'roles.save', resource: 'role', action: 'manage', run: (c) => c.roles.save({ name: `r-${Date.now()}-${Math.floor(Math.random() * 1e6)}`, permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }] }) },
    { name: 'iac.validate', resource: 'blueprint', action: 'read', run: async (c) => c.iac.validate({ id: await matrixBlueprint(), number: 1 }) },
    { name: 'iac.generate', resource: 'iac', action: 'read', run: async (c) => c.iac.generate({ id: await matrixBlueprint(), number: 1, format: 'terraform' }) },
    { name: 'costing.estimate', resource: 'costing', action: 'read', run: async (c) => c.costing.estimate({ id: await matrixBlueprint(), number: 1 }) },
    { name: 'guardrails.evaluation', resource: 'guardrail', action: 'read', run: async (c) => c.guardrails.evaluation({ id: await matrixBlueprint(), number: 1 }) },
    { name: 'guardrails.savePolicy', resource: 'guardrail', action: 'manage', run: (c) => c.guardrails.savePolicy({ key: `m-${Date.now()}-${Math.floor(Math.random() * 1e6)}`, name: 'matrix', severity: 'low', enforcement: 'advisory', expression: 'true', message: 'never fails' }) },
    { name: 'guardrails.override', resource: 'guardrail', action: 'override', run: async (c) => c.guardrails.override({ id: await matrixBlueprint(), policyKey: 'required-tags', reason: 'the permission matrix test' }) },
  ];
  let made: Promise<string> | undefined;
  /** One blueprint of the tenant's admin for the reads of a version (validation, generation). */
  const matrixBlueprint = () => (made ??= callerFor(deps, acme.admin).then((admin) => admin.blueprints.create(create(`matrix-read-${Date.now()}`))).then((b) => b.id));

  it.each(ROLES)('%s', async (role: TRole) => {
    const caller = await callerFor(deps, await memberWith(acme.admin, [role], role.replaceAll('_', '-')));
    for (const call of calls) {
      const allowed = scopeIn(systemPermissions(role), call.resource, call.action) !== null;
      expect(`${call.name}: ${await outcome(call.run(caller))}`).toBe(`${call.name}: ${allowed ? 'OK' : 'FORBIDDEN'}`);
    }
  });

  it('names the missing permission in the refusal', async () => {
    const viewer = await callerFor(deps, await memberWith(acme.admin, ['viewer'], 'viewer'));
    expect(await message(viewer.blueprints.create(create('nope')))).toBe('FORBIDDEN: missing permission blueprint:create: your roles (viewer) do not grant it');
  });

  it('a custom role grants exactly what it lists, and its holders follow its changes at the next request', async () => {
    const admin = await callerFor(deps, acme.admin);
    await admin.roles.save({ name: 'creator', description: 'creates and reads blueprints', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }, { resource: 'blueprint', action: 'create', scope: 'tenant' }] });
    const holder = await callerFor(deps, await memberWith(acme.admin, ['creator'], 'creator'));
    expect(await outcome(holder.blueprints.create(create(`custom-${Date.now()}`)))).toBe('OK');
    expect(await outcome(holder.blueprints.list({}))).toBe('OK');
    expect(await outcome(holder.projects.list())).toBe('FORBIDDEN');
    expect(await outcome(holder.users.list())).toBe('FORBIDDEN');
    await admin.roles.save({ name: 'creator', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }] });
    expect(await outcome(holder.blueprints.create(create(`custom-after-${Date.now()}`)))).toBe('FORBIDDEN');
    expect(await outcome(holder.blueprints.list({}))).toBe('OK');
    await admin.roles.delete({ name: 'creator' });
    expect(await outcome(holder.blueprints.list({}))).toBe('FORBIDDEN');
  });
});

describe('own and team scope decide which rows a list returns and which may be changed', () => {
  it('own sees and changes exactly what they created; team also their teams\' projects; the rest reads as not found', async () => {
    const admin = await callerFor(deps, acme.admin);
    // A second project of the tenant (no procedure creates projects yet: written as the owner), held by a team.
    const owner = createDb({ url: testEnv.DATABASE_OWNER_URL, max: 1 });
    const [teamProject] = await owner.db.execute<{ id: string }>(sql`insert into projects (tenant_id, slug, name, primary_cloud) values (${acme.tenantId}, ${`team-${Date.now()}`}, 'Team project', 'aws') returning id`);
    await owner.close();
    const { id: teamId } = await admin.teams.create({ name: `Payments ${Date.now()}` });
    await admin.teams.setProjectTeam({ projectId: teamProject!.id, teamId });

    await admin.roles.save({ name: 'own-editor', permissions: [{ resource: 'blueprint', action: 'read', scope: 'own' }, { resource: 'blueprint', action: 'create', scope: 'tenant' }, { resource: 'blueprint', action: 'update', scope: 'own' }] });
    await admin.roles.save({ name: 'team-editor', permissions: [{ resource: 'blueprint', action: 'read', scope: 'team' }, { resource: 'blueprint', action: 'create', scope: 'tenant' }, { resource: 'blueprint', action: 'update', scope: 'team' }] });
    const ownUser = await memberWith(acme.admin, ['own-editor'], 'own');
    const teamUser = await memberWith(acme.admin, ['team-editor'], 'team');
    const teammate = await memberWith(acme.admin, ['solution_architect'], 'mate');
    await admin.teams.setMembers({ teamId, userIds: [teamUser.userId, teammate.userId] });
    const listed = (await admin.teams.list()).find((t) => t.id === teamId);
    expect(listed?.members.map((m) => m.id).sort()).toEqual([teamUser.userId, teammate.userId].sort());
    expect(listed?.projects.map((p) => p.id)).toEqual([teamProject!.id]);

    const [ownC, teamC, mateC] = await Promise.all([callerFor(deps, ownUser), callerFor(deps, teamUser), callerFor(deps, teammate)]);
    const tag = `scope-${Date.now()}`;
    const mine = await ownC.blueprints.create({ ...create(`${tag} own`), projectId: acme.projectId });
    await teamC.blueprints.create({ ...create(`${tag} team-user`), projectId: acme.projectId });
    const inTeam = await mateC.blueprints.create({ ...create(`${tag} teammate`), projectId: teamProject!.id });
    const elsewhere = await admin.blueprints.create({ ...create(`${tag} admin`), projectId: acme.projectId });
    const names = async (c: typeof ownC) => (await c.blueprints.list({ search: tag, pageSize: 100 })).items.map((b) => b.name).sort();

    expect(await names(ownC)).toEqual([`${tag} own`]);
    expect((await ownC.blueprints.list({ search: tag })).total).toBe(1);
    expect(await names(teamC)).toEqual([`${tag} team-user`, `${tag} teammate`]);
    expect(await names(admin)).toEqual([`${tag} admin`, `${tag} own`, `${tag} team-user`, `${tag} teammate`]);

    expect((await ownC.blueprints.byId({ id: mine.id })).name).toBe(`${tag} own`);
    expect(await outcome(ownC.blueprints.byId({ id: elsewhere.id }))).toBe('NOT_FOUND');
    expect(await outcome(ownC.blueprints.versions({ id: inTeam.id }))).toBe('NOT_FOUND');
    expect((await teamC.blueprints.byId({ id: inTeam.id })).name).toBe(`${tag} teammate`);
    expect(await outcome(teamC.blueprints.byId({ id: elsewhere.id }))).toBe('NOT_FOUND');
    expect(await outcome(teamC.blueprints.diff({ id: elsewhere.id, from: 1, to: 1 }))).toBe('NOT_FOUND');

    const save = (c: typeof ownC, id: string) => c.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'scoped edit' });
    expect(await outcome(save(teamC, inTeam.id))).toBe('OK');
    expect(await outcome(save(teamC, elsewhere.id))).toBe('FORBIDDEN');
    expect(await outcome(save(ownC, inTeam.id))).toBe('FORBIDDEN');
    expect(await outcome(save(ownC, mine.id))).toBe('OK');

    // Leaving the team takes effect at the next request.
    await admin.teams.setMembers({ teamId, userIds: [teammate.userId] });
    expect(await names(teamC)).toEqual([`${tag} team-user`]);
    expect(await outcome(teamC.blueprints.byId({ id: inTeam.id }))).toBe('NOT_FOUND');
  });

  it('teams: bad input names the field; another tenant\'s people and projects are not found', async () => {
    const admin = await callerFor(deps, acme.admin);
    const { id: teamId } = await admin.teams.create({ name: `Bad input ${Date.now()}` });
    expect(await message(admin.teams.create({ name: ' ' }))).toMatch(/^BAD_REQUEST: .*name.*must not be empty/s);
    expect(await message(admin.teams.setMembers({ teamId, userIds: [other.admin.userId] }))).toBe(`BAD_REQUEST: no user ${other.admin.userId} in this tenant`);
    expect(await message(admin.teams.setProjectTeam({ projectId: other.projectId, teamId }))).toBe('NOT_FOUND: project not found');
    expect(await message((await callerFor(deps, other.admin)).teams.setMembers({ teamId, userIds: [] }))).toBe('NOT_FOUND: team not found');
  });
});

describe('role changes and disabled users take effect at the next request', () => {
  it('a revoked role stops working at once, a granted one works at once, an expiry ends it', async () => {
    const admin = await callerFor(deps, acme.admin);
    const tara = await memberWith(acme.admin, ['technical_architect'], 'tara');
    const caller = await callerFor(deps, tara);
    expect(await outcome(caller.blueprints.create(create(`before-${Date.now()}`)))).toBe('OK');
    await admin.users.revokeRole({ userId: tara.userId, role: 'technical_architect' });
    expect(await outcome(caller.blueprints.create(create(`after-${Date.now()}`)))).toBe('FORBIDDEN');
    await admin.users.grantRole({ userId: tara.userId, role: 'solution_architect', expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect(await outcome(caller.blueprints.create(create(`regranted-${Date.now()}`)))).toBe('OK');
    await new Promise((r) => setTimeout(r, 1600));
    expect(await message(caller.blueprints.create(create(`expired-${Date.now()}`)))).toBe('FORBIDDEN: missing permission blueprint:create: your roles (none) do not grant it');
  });

  it('a session renews its token while its user may still work; a disabled user or an API token cannot', async () => {
    const admin = await callerFor(deps, acme.admin);
    const member = await memberWith(acme.admin, ['viewer'], 'renewing');
    const renewed = await (await callerFor(deps, member)).identity.renew();
    expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.now() + 60_000);
    expect((await anonymousCaller(deps, `Bearer ${renewed.token}`).identity.me()).id).toBe(member.userId);
    await admin.users.setStatus({ userId: member.userId, status: 'disabled' });
    expect(await outcome(anonymousCaller(deps, `Bearer ${renewed.token}`).identity.renew())).toBe('FORBIDDEN');
    const { token } = await admin.tokens.create({ name: 'no renewal', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }], expiresAt: inAYear() });
    expect(await message(anonymousCaller(deps, `Bearer ${token}`).identity.renew())).toBe('BAD_REQUEST: an API token is not renewed: create a new one');
  });

  it('a disabled user is refused at the next request; the last admin cannot be removed', async () => {
    const t = await scratchTenant('last-admin');
    const admin = await callerFor(deps, t.admin);
    const vic = await memberWith(t.admin, ['viewer'], 'vic');
    const caller = await callerFor(deps, vic);
    expect(await outcome(caller.blueprints.list({}))).toBe('OK');
    await admin.users.setStatus({ userId: vic.userId, status: 'disabled' });
    expect(await message(caller.blueprints.list({}))).toBe('FORBIDDEN: your account is disabled in this tenant');
    expect(await message(admin.users.revokeRole({ userId: t.admin.userId, role: 'admin' }))).toMatch(/^PRECONDITION_FAILED: this would leave the tenant without an active admin/);
    expect(await message(admin.users.setStatus({ userId: t.admin.userId, status: 'disabled' }))).toBe('BAD_REQUEST: you cannot disable your own account');
    expect(await outcome(admin.blueprints.list({}))).toBe('OK');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const admin = await callerFor(deps, acme.admin);
    const before = (await eventsOf(acme.tenantId)).length;
    expect(await message(admin.users.grantRole({ userId: acme.admin.userId, role: 'god' }))).toMatch(/^BAD_REQUEST: no role "god"/);
    expect(await outcome(admin.users.grantRole({ userId: acme.admin.userId, role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' }))).toBe('BAD_REQUEST');
    expect(await outcome(admin.users.grantRole({ userId: 'not-a-uuid', role: 'viewer' }))).toBe('BAD_REQUEST');
    expect(await outcome(admin.users.grantRole({ userId: other.admin.userId, role: 'viewer' }))).toBe('NOT_FOUND');
    expect(await outcome(admin.roles.save({ name: 'admin', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }] }))).toBe('BAD_REQUEST');
    // Global scope is the platform's, never a tenant's to give.
    expect(await message(admin.roles.save({ name: 'reader', permissions: [{ resource: 'blueprint', action: 'read', scope: 'global' as 'tenant' }] }))).toMatch(/^BAD_REQUEST: .*scope.*must be own, team or tenant/s);
    expect(await outcome(admin.roles.save({ name: 'Bad Name', permissions: [] }))).toBe('BAD_REQUEST');
    expect(await outcome(admin.tokens.create({ name: 'x', permissions: [{ resource: 'blueprint', action: 'fly' as 'read', scope: 'tenant' }], expiresAt: inAYear() }))).toBe('BAD_REQUEST');
    expect(await outcome(admin.tokens.create({ name: 'x', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }], expiresAt: '2030-13-01' }))).toBe('BAD_REQUEST');
    expect((await eventsOf(acme.tenantId)).length).toBe(before);
  });
});

describe('API tokens', () => {
  it('work through the SDK with at most their permissions, and are refused once revoked or expired', async () => {
    const http = await startHttp(deps);
    try {
      const admin = await callerFor(deps, acme.admin);
      const made = await admin.tokens.create({ name: 'ci reader', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }], expiresAt: inAYear() });
      expect(made.token).toMatch(/^dh_[A-Za-z0-9_-]{43}$/);
      const sdk = createClient(http.url, made.token, { attempts: 1 });
      expect(Array.isArray((await sdk.blueprints.list.query({})).items)).toBe(true);
      expect((await sdk.identity.me.query()).token?.name).toBe('ci reader');
      await expect(sdk.projects.list.query()).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
      await expect(sdk.blueprints.create.mutate(create('by token'))).rejects.toThrow(/missing permission blueprint:create: your token "ci reader"/);

      // Stored as a hash, never as the token.
      const owner = createDb({ url: testEnv.DATABASE_OWNER_URL, max: 1 });
      try {
        const [row] = await owner.db.execute<{ secret_hash: string; n: number }>(sql`select secret_hash, (select count(*)::int from api_tokens where secret_hash = ${made.token}) as n from api_tokens where id = ${made.id}`);
        expect(row!.secret_hash).toBe(hashApiToken(made.token));
        expect(row!.n).toBe(0);
      } finally {
        await owner.close();
      }

      await admin.tokens.revoke({ id: made.id });
      await expect(sdk.blueprints.list.query({})).rejects.toThrow(/API token revoked/);
      await expect(createClient(http.url, 'dh_' + 'x'.repeat(43), { attempts: 1 }).blueprints.list.query({})).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });

      const short = await admin.tokens.create({ name: 'short', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }], expiresAt: new Date(Date.now() + 1200).toISOString() });
      const shortSdk = createClient(http.url, short.token, { attempts: 1 });
      expect(Array.isArray((await shortSdk.blueprints.list.query({})).items)).toBe(true);
      await new Promise((r) => setTimeout(r, 1300));
      await expect(shortSdk.blueprints.list.query({})).rejects.toThrow(/API token expired/);
    } finally {
      await http.close();
    }
  });

  it("never outlive their user's roles, and stay in their tenant", async () => {
    const admin = await callerFor(deps, acme.admin);
    const pia = await memberWith(acme.admin, ['enterprise_architect'], 'pia');
    const piaCaller = await callerFor(deps, pia);
    const made = await piaCaller.tokens.create({ name: 'writer', permissions: [{ resource: 'blueprint', action: 'manage', scope: 'tenant' }], expiresAt: inAYear() });
    const asToken = made.token;
    const http = await startHttp(deps);
    try {
      const sdk = createClient(http.url, asToken, { attempts: 1 });
      expect((await sdk.blueprints.create.mutate(create(`token-${Date.now()}`))).version).toBe(1);
      await admin.users.revokeRole({ userId: pia.userId, role: 'enterprise_architect' });
      await expect(sdk.blueprints.create.mutate(create(`token-after-${Date.now()}`))).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
      // Tenant B's admin can neither see nor revoke tenant A's token.
      const otherAdmin = await callerFor(deps, other.admin);
      expect((await otherAdmin.tokens.list({ all: true })).map((t) => t.id)).not.toContain(made.id);
      expect(await outcome(otherAdmin.tokens.revoke({ id: made.id }))).toBe('NOT_FOUND');
      // A personal token's owner sees only their own; listing all needs tenant scope.
      expect(await outcome(piaCaller.tokens.list({ all: true }))).toBe('FORBIDDEN');
    } finally {
      await http.close();
    }
  });
});

describe('audit log', () => {
  it('records exactly one event per change, in the same transaction, with actor and request id', async () => {
    const t = await scratchTenant('audit');
    const admin = await callerFor(deps, t.admin);
    const before = (await eventsOf(t.tenantId)).length;
    const { id } = await admin.blueprints.create({ ...create('audited'), projectId: t.projectId });
    await admin.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'bigger' });
    await admin.blueprints.saveVersion({ id, baseVersion: 2, graph: smallGraph('t3.large'), message: 'same again' }); // no change, no event
    await admin.blueprints.archive({ id });
    await admin.blueprints.restore({ id });
    const member = await memberWith(t.admin, ['viewer'], 'aud');
    await admin.users.grantRole({ userId: member.userId, role: 'sre' });
    await admin.users.revokeRole({ userId: member.userId, role: 'sre' });
    const token = await admin.tokens.create({ name: 'audited', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }], expiresAt: inAYear() });
    await admin.tokens.revoke({ id: token.id });
    await admin.tokens.revoke({ id: token.id }); // already revoked: no change, no event
    const events = (await eventsOf(t.tenantId)).slice(before);
    expect(events.map((e) => e.action)).toEqual([
      'blueprint.create', 'blueprint.save_version', 'blueprint.archive', 'blueprint.restore', 'role.grant', 'role.revoke', 'token.create', 'token.revoke',
    ]);
    expect(new Set(events.map((e) => e.actor_id))).toEqual(new Set([t.admin.userId]));
    expect(events.every((e) => e.request_id !== null)).toBe(true);

    const listed = await admin.audit.list({ action: 'blueprint.', limit: 2 });
    expect(listed.items.map((e) => e.action)).toEqual(['blueprint.restore', 'blueprint.archive']);
    const page2 = await admin.audit.list({ action: 'blueprint.', limit: 2, cursor: listed.next! });
    expect(page2.items.map((e) => e.action)).toEqual(['blueprint.save_version', 'blueprint.create']);
    expect((await admin.audit.list({ targetId: id })).items).toHaveLength(4);
    const csv = await admin.audit.export({ format: 'csv', action: 'token.' });
    expect(csv.count).toBe(2);
    expect(csv.body.split('\r\n')[0]).toBe('id,at,actorId,actorType,actorLabel,action,targetType,targetId,before,after,requestId,ip,userAgent,outcome');
    expect(csv.body).not.toContain(token.token);
    const json = JSON.parse((await admin.audit.export({ format: 'json', targetId: id })).body) as { action: string }[];
    expect(json.map((e) => e.action)).toContain('blueprint.create');
    // Another tenant's auditor sees none of it.
    expect((await (await callerFor(deps, other.admin)).audit.list({ targetId: id })).items).toHaveLength(0);
  });

  it('cannot be changed or deleted by the runtime role, nor by the owner', async () => {
    const t = await scratchTenant('audit-immutable');
    await (await callerFor(deps, t.admin)).blueprints.create({ ...create('x'), projectId: t.projectId });
    for (const url of [process.env.DATABASE_URL!, testEnv.DATABASE_OWNER_URL]) {
      const db = createDb({ url, max: 1 });
      try {
        for (const statement of [sql`update audit_events set action = 'forged' where tenant_id = ${t.tenantId}`, sql`delete from audit_events where tenant_id = ${t.tenantId}`]) {
          const code = await db.db
            .transaction(async (tx) => {
              await tx.execute(sql`select set_config('app.tenant_id', ${t.tenantId}, true)`);
              await tx.execute(statement);
            })
            .then(() => 'committed', (e: { cause?: { code?: string }; code?: string }) => e.cause?.code ?? e.code);
          expect(code).toBe('42501');
        }
      } finally {
        await db.close();
      }
    }
    expect((await eventsOf(t.tenantId)).map((e) => e.action)).toEqual(['blueprint.create']);
  });

  it('refuses a change whose actor was never set: no code path writes silently', async () => {
    const db = createDb({ url: process.env.DATABASE_URL!, max: 1 });
    try {
      const code = await db.db
        .transaction(async (tx) => {
          await tx.execute(sql`select set_config('app.tenant_id', ${acme.tenantId}, true)`);
          await tx.execute(sql`select audit_record('blueprint.create', 'blueprint', null, null, null)`);
        })
        .then(() => 'committed', (e: { cause?: { code?: string }; code?: string }) => e.cause?.code ?? e.code);
      expect(code).toBe('DH500');
    } finally {
      await db.close();
    }
  });
});
