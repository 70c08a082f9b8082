import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '@dharma/db/graph-canonical';
import { ZBlueprintGraph } from '@dharma/db/blueprint-graph';
import { callerFor, makeDeps, scratchTenant, seededUsers } from '../../testing/harness';
import { smallGraph } from '../../testing/graphs';

const deps = makeDeps();
let users: Awaited<ReturnType<typeof seededUsers>>;
afterAll(() => deps.close());
beforeAll(async () => {
  users = await seededUsers(deps);
});

const code = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : `unexpected: ${String(e)}`));
const unique = (s: string) => `${s} ${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;

describe('blueprints: browsing the seeded tenant', () => {
  it('lists, searches, filters and pages', async () => {
    const ada = await callerFor(deps, users.ada);
    const all = await ada.blueprints.list({ archived: 'all', pageSize: 100 });
    for (const name of ['Three-tier web app', 'Analytics data platform', 'Serverless mobile API']) {
      expect((await ada.blueprints.list({ search: name })).items.map((b) => b.name)).toContain(name);
    }
    expect((await ada.blueprints.list({ search: 'GKE orders service', archived: 'all' })).total).toBe(0);

    const search = await ada.blueprints.list({ search: 'three-TIER' });
    expect(search.items.map((b) => b.name)).toContain('Three-tier web app');
    expect(search.items.every((b) => b.name.toLowerCase().includes('three-tier'))).toBe(true);
    const azure = await ada.blueprints.list({ cloud: 'azure', archived: 'all', pageSize: 100 });
    expect(azure.items.length).toBeGreaterThan(0);
    expect(azure.items.every((b) => b.cloud === 'azure')).toBe(true);
    const approved = await ada.blueprints.list({ status: 'approved', archived: 'all', pageSize: 100 });
    expect(approved.items.every((b) => b.status === 'approved')).toBe(true);
    expect(all.items.every((b) => b.projectName !== '')).toBe(true);
  });

  it('pages newest first with a stable total (in a tenant nobody else writes to)', async () => {
    const scratch = await scratchTenant('paging');
    const admin = await callerFor(deps, scratch.admin);
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push((await admin.blueprints.create({ projectId: scratch.projectId, name: `Page ${n}`, cloud: 'aws', graph: smallGraph() })).id);
    const pages = await Promise.all([1, 2, 3].map((page) => admin.blueprints.list({ page, pageSize: 2 })));
    expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
    expect(pages.map((p) => p.items.map((b) => b.name))).toEqual([['Page 5', 'Page 4'], ['Page 3', 'Page 2'], ['Page 1']]);
    expect((await admin.blueprints.list({ page: 4, pageSize: 2 })).items).toEqual([]);
    expect(pages.flatMap((p) => p.items.map((b) => b.id)).sort()).toEqual([...ids].sort());
  });

  it('treats LIKE wildcards in a search as plain characters', async () => {
    const ada = await callerFor(deps, users.ada);
    expect((await ada.blueprints.list({ search: '%' })).total).toBe(0);
    expect((await ada.blueprints.list({ search: '_' })).total).toBe(0);
  });

  it('opens one with its graph, versions and a readable diff', async () => {
    const ada = await callerFor(deps, users.ada);
    const [hit] = (await ada.blueprints.list({ search: 'Three-tier web app' })).items;
    const bp = await ada.blueprints.byId({ id: hit!.id });
    expect(bp.currentVersion).toBeGreaterThanOrEqual(3);
    expect(bp.graph.components.map((c) => c.id)).toEqual(expect.arrayContaining(['vpc', 'alb', 'db', 'cache']));
    const versions = await ada.blueprints.versions({ id: bp.id });
    expect(versions.map((v) => v.number).slice(-3)).toEqual([3, 2, 1]);
    expect(versions.at(-1)?.parentNumber).toBeNull();
    expect(versions.at(-2)?.parentNumber).toBe(1);
    const { diff } = await ada.blueprints.diff({ id: bp.id, from: 1, to: 3 });
    expect(diff.components.added.map((c) => c.id).sort()).toEqual(['cache', 'monitoring']);
    const web = diff.components.changed.find((c) => c.id === 'web-asg');
    expect(web?.changes).toEqual(expect.arrayContaining([{ path: 'properties.instanceType', before: 'm5.large', after: 'm6i.large' }]));
    expect(diff.identical).toBe(false);
  });
});

describe('blueprints: writing', () => {
  let scratch: Awaited<ReturnType<typeof scratchTenant>>;
  beforeAll(async () => {
    scratch = await scratchTenant('bp-write');
  });

  it('creates, saves versions with hashes, diffs, archives and restores', async () => {
    const admin = await callerFor(deps, scratch.admin);
    const name = unique('Edge cache');
    const created = await admin.blueprints.create({ projectId: scratch.projectId, name, cloud: 'aws', graph: smallGraph() });
    expect(created.version).toBe(1);

    const saved = await admin.blueprints.saveVersion({ id: created.id, baseVersion: 1, graph: smallGraph('m5.large'), message: 'Bigger VM' });
    expect(saved.version).toBe(2);
    const expectedHash = createHash('sha256').update(canonicalJson(ZBlueprintGraph.parse(smallGraph('m5.large')))).digest('hex');
    expect(saved.graphHash).toBe(expectedHash);

    const { diff } = await admin.blueprints.diff({ id: created.id, from: 1, to: 2 });
    expect(diff.components.changed).toEqual([{ id: 'vm', kind: 'vm', name: 'dev-test-vm-euw1', changes: [{ path: 'properties.instanceType', before: 't3.micro', after: 'm5.large' }] }]);

    await admin.blueprints.archive({ id: created.id });
    expect((await admin.blueprints.list({ search: name })).total).toBe(0);
    expect((await admin.blueprints.list({ search: name, archived: 'archived' })).total).toBe(1);
    expect(await code(admin.blueprints.saveVersion({ id: created.id, baseVersion: 2, graph: smallGraph(), message: 'x' }))).toBe('PRECONDITION_FAILED');
    await admin.blueprints.restore({ id: created.id });
    expect((await admin.blueprints.list({ search: name })).total).toBe(1);
  });

  it('gives the same graph the same hash however it is listed, and saved twice', async () => {
    const admin = await callerFor(deps, scratch.admin);
    const g = smallGraph();
    const reordered = { components: [...g.components].reverse(), relations: [...(g.relations ?? [])].reverse() };
    const a = await admin.blueprints.create({ projectId: scratch.projectId, name: unique('Hash A'), cloud: 'aws', graph: g });
    const b = await admin.blueprints.create({ projectId: scratch.projectId, name: unique('Hash B'), cloud: 'aws', graph: reordered });
    const [va, vb] = await Promise.all([admin.blueprints.byId({ id: a.id }), admin.blueprints.byId({ id: b.id })]);
    expect(va.graphHash).toMatch(/^[0-9a-f]{64}$/);
    expect(va.graphHash).toBe(vb.graphHash);
    const again = await admin.blueprints.saveVersion({ id: a.id, baseVersion: 1, graph: reordered, message: 'Same graph again' });
    expect(again.graphHash).toBe(va.graphHash);
  });

  it('refuses a save on top of a stale version and writes nothing', async () => {
    const admin = await callerFor(deps, scratch.admin);
    const { id } = await admin.blueprints.create({ projectId: scratch.projectId, name: unique('Stale'), cloud: 'aws', graph: smallGraph() });
    await admin.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph('t3.small'), message: 'first editor' });
    await expect(admin.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'second editor' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('version 2'),
    });
    expect((await admin.blueprints.versions({ id })).map((v) => v.number)).toEqual([2, 1]);
  });

  it('serialises concurrent saves: exactly one of two racing editors wins', async () => {
    const admin = await callerFor(deps, scratch.admin);
    const { id } = await admin.blueprints.create({ projectId: scratch.projectId, name: unique('Race'), cloud: 'aws', graph: smallGraph() });
    const results = await Promise.all(
      ['t3.small', 't3.large'].map((size) => code(admin.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph(size), message: size }))),
    );
    expect(results.sort()).toEqual(['CONFLICT', 'OK']);
    expect((await admin.blueprints.byId({ id })).currentVersion).toBe(2);
  });

  it('rejects a duplicate live name in a project with a CONFLICT on name', async () => {
    const admin = await callerFor(deps, scratch.admin);
    const name = unique('Dup');
    await admin.blueprints.create({ projectId: scratch.projectId, name, cloud: 'aws', graph: smallGraph() });
    await expect(admin.blueprints.create({ projectId: scratch.projectId, name: name.toUpperCase(), cloud: 'aws', graph: smallGraph() })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('name'),
    });
  });
});

describe('blueprints: permissions', () => {
  it('keeps viewers read-only', async () => {
    const vic = await callerFor(deps, users.vic);
    const [bp] = (await vic.blueprints.list({})).items;
    expect(bp).toBeDefined();
    const projectId = bp!.projectId;
    expect(await code(vic.blueprints.create({ projectId, name: unique('Nope'), cloud: 'aws', graph: smallGraph() }))).toBe('FORBIDDEN');
    expect(await code(vic.blueprints.saveVersion({ id: bp!.id, baseVersion: bp!.currentVersion, graph: smallGraph(), message: 'x' }))).toBe('FORBIDDEN');
    expect(await code(vic.blueprints.archive({ id: bp!.id }))).toBe('FORBIDDEN');
    expect(await code(vic.monitoring.system())).toBe('FORBIDDEN');
  });

  it('lets a solution architect edit only the blueprints they created', async () => {
    const sam = await callerFor(deps, users.sam);
    const theirs = (await sam.blueprints.list({ search: 'Analytics data platform' })).items[0]!; // created by tara
    expect(theirs.createdBy).toBe(users.tara.userId);
    const before = await sam.blueprints.byId({ id: theirs.id });
    expect(await code(sam.blueprints.saveVersion({ id: theirs.id, baseVersion: before.currentVersion, graph: smallGraph(), message: 'hijack' }))).toBe('FORBIDDEN');
    expect((await sam.blueprints.byId({ id: theirs.id })).currentVersion).toBe(before.currentVersion);

    const projectId = (await sam.projects.list()).find((p) => p.slug === 'mobile')!.id;
    const mine = await sam.blueprints.create({ projectId, name: unique('Sam own'), cloud: 'aws', graph: smallGraph() });
    expect((await sam.blueprints.saveVersion({ id: mine.id, baseVersion: 1, graph: smallGraph('t3.small'), message: 'mine' })).version).toBe(2);
    await sam.blueprints.archive({ id: mine.id });
  });
});
