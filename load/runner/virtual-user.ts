import { randomUUID } from 'node:crypto';
import { trpcData, trpcErrorMessage, type TTrpcClient } from './http';
import type { TRandom, TStep } from './mix';
import type { TScenarioData } from './scenarios';
import type { Recorder } from './stats';

export interface TDirectoryUser {
  userId: string;
  tenantId: string;
  tenantSlug: string;
  email: string;
  roles: string[];
}

export interface TVuContext {
  client: TTrpcClient;
  recorder: Recorder;
  data: TScenarioData;
  /** Part of every blueprint name this run creates, so runs never collide and teardown finds its own. */
  runId: string;
  pick: () => TStep;
  random: TRandom;
}

interface TOwnBlueprint {
  id: string;
  version: number;
}
interface TListed {
  id: string;
  currentVersion: number;
}
type TToken = { value: string; at: number };

/** Tokens live an hour by default; a soak outlives that, so a VU signs in again after half of it. */
const TOKEN_REFRESH_MS = 30 * 60_000;

/**
 * One simulated user. Its first iteration lands (signs in, loads the project list), then every iteration takes
 * one step from the weighted mix; the scheduler adds the think time. Reads use the VU's own user; writes use a
 * writer of the same tenant, who creates blueprints named after the run and saves on top of its own current
 * version, so a healthy run has no 409s. Mirrors the iteration in load/k6/lib.js.
 */
export class VirtualUser {
  readonly own: TOwnBlueprint[] = [];
  private readonly tokens = new Map<string, TToken>();
  private projects: string[] = [];
  private listed: TListed[] = [];
  private landed = false;
  private seq = 0;
  private readonly graphTemplate: string;

  constructor(
    readonly index: number,
    private readonly ctx: TVuContext,
    private readonly user: TDirectoryUser,
    readonly writer: TDirectoryUser,
  ) {
    this.graphTemplate = JSON.stringify(ctx.data.graph);
  }

  /** Set when the server answered 429 or 503: how long it asked clients to stay away (Retry-After). */
  private backoffMs = 0;

  /** One iteration; resolves to the least pause before the next (Retry-After after a 429 or 503, else 0). */
  async iterate(): Promise<number> {
    this.backoffMs = 0;
    if (!this.landed) this.landed = await this.land();
    else await this.step(this.ctx.pick());
    this.ctx.recorder.iterations += 1;
    return this.backoffMs;
  }

  private async land(): Promise<boolean> {
    const token = await this.signIn(this.user);
    if (!token) return false;
    const projects = await this.call<{ id: string }[]>('projects.list', 'query', undefined, token, 'projects: 200 with projects', (d) => Array.isArray(d) && d.length > 0);
    this.projects = projects?.map((p) => p.id) ?? [];
    return this.projects.length > 0;
  }

  private async step(step: TStep): Promise<void> {
    switch (step) {
      case 'signIn':
        return void (await this.signIn(this.user));
      case 'list':
        return this.list({}, 'list: 200 with items');
      case 'listFiltered':
        return this.list(this.filter(), 'list filtered: 200');
      case 'byId':
        return this.byId();
      case 'create':
        return this.create();
      case 'saveVersion':
        return this.saveVersion();
      case 'diff':
        return this.diff();
      case 'health':
        return void (await this.call<{ ok: boolean }>('health.ping', 'query', undefined, undefined, 'health: ok', (d) => d.ok === true));
    }
  }

  private async signIn(user: TDirectoryUser): Promise<string | undefined> {
    const data = await this.call<{ token: string }>('identity.devSignIn', 'mutation', { userId: user.userId }, undefined, 'signIn: token', (d) => typeof d.token === 'string');
    if (data) this.tokens.set(user.userId, { value: data.token, at: Date.now() });
    return data?.token;
  }

  private async tokenFor(user: TDirectoryUser): Promise<string | undefined> {
    const known = this.tokens.get(user.userId);
    if (known && Date.now() - known.at < TOKEN_REFRESH_MS) return known.value;
    return this.signIn(user);
  }

  private async list(input: Record<string, unknown>, check: string): Promise<void> {
    const token = await this.tokenFor(this.user);
    const empty = Object.keys(input).length === 0;
    const data = await this.call<{ items: TListed[] }>('blueprints.list', 'query', input, token, check, (d) => Array.isArray(d.items) && (!empty || d.items.length > 0));
    if (data && data.items.length > 0) this.listed = data.items.map((i) => ({ id: i.id, currentVersion: i.currentVersion }));
  }

  /** A row the user just saw in a list (what a click does); the VU's own blueprints before it has listed. */
  private async byId(): Promise<void> {
    const pool = this.listed.length > 0 ? this.listed.map((l) => l.id) : this.own.map((o) => o.id);
    const id = this.choose(pool);
    if (!id) return this.list({}, 'list: 200 with items');
    const token = await this.tokenFor(this.user);
    await this.call<{ id: string }>('blueprints.byId', 'query', { id }, token, 'byId: 200 with the blueprint', (d) => d.id === id);
  }

  private async create(): Promise<void> {
    const token = await this.tokenFor(this.writer);
    const { data } = this.ctx;
    const name = `${this.ctx.runId}-vu${this.index}-${++this.seq}`;
    const input = { projectId: this.choose(this.projects), name, cloud: data.blueprintCloud, graph: this.graph(0), message: 'load test: initial version' };
    const created = await this.call<{ id: string; version: number }>('blueprints.create', 'mutation', input, token, 'create: 200 with an id', (d) => typeof d.id === 'string', { 'idempotency-key': randomUUID() });
    if (created) this.own.push({ id: created.id, version: created.version });
  }

  private async saveVersion(): Promise<void> {
    const mine = this.choose(this.own);
    if (!mine) return this.create();
    const token = await this.tokenFor(this.writer);
    const input = { id: mine.id, baseVersion: mine.version, graph: this.graph(mine.version), message: `load test: version ${mine.version + 1}` };
    const saved = await this.call<{ version: number }>('blueprints.saveVersion', 'mutation', input, token, 'saveVersion: 200 with the next version', (d) => d.version === mine.version + 1, { 'idempotency-key': randomUUID() });
    if (saved) mine.version = saved.version;
    else await this.resync(mine, token);
  }

  /** After a failed save, learn the blueprint's real current version so the next save is not a guaranteed 409. */
  private async resync(mine: TOwnBlueprint, token: string | undefined): Promise<void> {
    const data = await this.call<{ currentVersion: number }>('blueprints.byId', 'query', { id: mine.id }, token, 'byId: 200 with the blueprint', (d) => typeof d.currentVersion === 'number');
    if (data) mine.version = data.currentVersion;
  }

  /** The VU's own last two versions; a listed blueprint's first and current when it has no second version yet. */
  private async diff(): Promise<void> {
    const mine = this.choose(this.own.filter((o) => o.version >= 2));
    const listed = mine ? undefined : this.choose(this.listed.filter((l) => l.currentVersion >= 2));
    const input = mine ? { id: mine.id, from: mine.version - 1, to: mine.version } : listed ? { id: listed.id, from: 1, to: listed.currentVersion } : undefined;
    if (!input) return this.byId();
    const token = await this.tokenFor(this.user);
    await this.call<{ diff: unknown }>('blueprints.diff', 'query', input, token, 'diff: 200 with a diff', (d) => d.diff !== undefined);
  }

  private filter(): Record<string, unknown> {
    const filters = this.ctx.data.listFilters;
    const chosen = this.choose(filters) ?? {};
    const project = this.choose(this.projects);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(chosen)) {
      if (v === '$project') {
        if (project) out[k] = project;
      } else out[k] = v;
    }
    return out;
  }

  private graph(version: number): unknown {
    const types = this.ctx.data.instanceTypes;
    const instanceType = types[version % types.length]!;
    return JSON.parse(this.graphTemplate.replaceAll('"$instanceType"', JSON.stringify(instanceType)));
  }

  private choose<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.ctx.random() * items.length)];
  }

  private async call<T>(procedure: string, kind: 'query' | 'mutation', input: unknown, token: string | undefined, check: string, valid: (data: T) => boolean, headers?: Record<string, string>): Promise<T | undefined> {
    const r = await this.ctx.client.call(procedure, kind, input, token, headers);
    const { recorder } = this.ctx;
    recorder.record({ procedure, status: r.status, ms: r.ms, cache: r.cache });
    if (r.status !== 200) recorder.failure(procedure, r.status, trpcErrorMessage(r.body));
    if (r.retryAfterMs > this.backoffMs) this.backoffMs = r.retryAfterMs;
    const data = r.status === 200 ? trpcData<T>(r.body) : undefined;
    const ok = data !== undefined && data !== null && valid(data);
    recorder.check(check, ok);
    return ok ? data : undefined;
  }
}
