// Shared by baseline.js, stress.js, spike.js and soak.js: the scenarios come from load/scenarios.json, the same
// file the Node runner (load/runner) reads, so both run one definition of stages, mix, think time and thresholds.
// Run: k6 run -e BASE_URL=http://localhost:4000 load/k6/baseline.js   (the services need DEV_LOGIN=true)
import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';

// Every script sits next to this file, so the path is the same whether k6 resolves it from here or from the script.
const FILE = JSON.parse(open('../scenarios.json'));
const DATA = FILE.data;
const BASE_URL = (__ENV.BASE_URL || 'http://localhost:4000').replace(/\/$/, '');
const STEPS = ['signIn', 'list', 'listFiltered', 'byId', 'create', 'saveVersion', 'diff', 'health'];
const TOKEN_REFRESH_MS = 30 * 60 * 1000;

const cacheHits = new Rate('cache_hits');
const http429 = new Counter('http_429');
const http503 = new Counter('http_503');
// 429 and 503 are how the services shed load (with Retry-After): counted apart, not as failed requests (see
// setResponseCallback below), as the Node runner counts them (load/runner/stats.ts).
const shedRate = new Rate('http_req_shed');
const servedDuration = new Trend('served_req_duration', true);
const servedReqs = new Counter('served_reqs');
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429, 503));

// The Retry-After (ms) the last shed response asked for in this VU's iteration; the iteration sleeps at least that.
let backoffMs = 0;

function uuid() {
  const hex = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(Math.random() * 16).toString(16));
  hex[12] = '4';
  return `${hex.slice(0, 8).join('')}-${hex.slice(8, 12).join('')}-${hex.slice(12, 16).join('')}-${hex.slice(16, 20).join('')}-${hex.slice(20).join('')}`;
}

export function scenario(name) {
  const s = FILE.scenarios[name];
  if (!s) throw new Error(`unknown scenario "${name}" in load/scenarios.json`);
  return s;
}

export function buildOptions(name) {
  const s = scenario(name);
  return {
    stages: s.k6.stages,
    thresholds: s.thresholds,
    summaryTrendStats: ['min', 'avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
    setupTimeout: '60s',
    teardownTimeout: '5m',
  };
}

function header(res, name) {
  return res.headers[name] || res.headers[name.toLowerCase()] || null;
}

function dataOf(res) {
  try {
    const body = res.json();
    return body && body.result ? body.result.data : undefined;
  } catch (e) {
    return undefined;
  }
}

// One procedure per request, never batched: GET with ?input= for queries, a JSON POST for mutations (with an
// Idempotency-Key, as the SDK and the console send).
function call(procedure, kind, input, token) {
  const headers = { accept: 'application/json' };
  if (kind === 'mutation' && procedure.indexOf('blueprints.') === 0) headers['idempotency-key'] = uuid();
  if (token) headers.authorization = `Bearer ${token}`;
  const params = { headers, tags: { name: procedure, procedure } };
  let res;
  if (kind === 'query') {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    res = http.get(`${BASE_URL}/trpc/${procedure}${query}`, params);
  } else {
    headers['content-type'] = 'application/json';
    res = http.post(`${BASE_URL}/trpc/${procedure}`, JSON.stringify(input === undefined ? null : input), params);
  }
  const cache = header(res, 'X-Cache');
  if (cache === 'HIT') cacheHits.add(true);
  else if (cache === 'MISS' || cache === 'ERROR') cacheHits.add(false);
  if (res.status === 429) http429.add(1);
  if (res.status === 503) http503.add(1);
  const shed = res.status === 429 || res.status === 503;
  shedRate.add(shed);
  if (shed) {
    const seconds = Number(header(res, 'Retry-After'));
    backoffMs = Math.max(backoffMs, Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000);
  } else {
    servedDuration.add(res.timings.duration);
    servedReqs.add(1);
  }
  return res;
}

function checked(procedure, kind, input, token, name, valid) {
  const res = call(procedure, kind, input, token);
  const data = res.status === 200 ? dataOf(res) : undefined;
  const ok = check(res, { [name]: () => data !== undefined && data !== null && valid(data) });
  return ok ? data : undefined;
}

function choose(items) {
  return items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)];
}

function pickStep(mix) {
  let total = 0;
  for (const s of STEPS) total += mix[s] > 0 ? mix[s] : 0;
  const r = Math.random();
  let acc = 0;
  let last = STEPS[0];
  for (const s of STEPS) {
    if (!(mix[s] > 0)) continue;
    acc += mix[s] / total;
    last = s;
    if (r < acc) return s;
  }
  return last;
}

// setup(): the dev directory of the scenario's tenants and a sign-in check per tenant, shared with every VU.
export function setupRun() {
  const res = call('identity.devDirectory', 'query');
  const all = res.status === 200 ? dataOf(res) : undefined;
  if (!all) fail(`identity.devDirectory answered ${res.status}: start the services with DEV_LOGIN=true and seed the database`);
  const users = all.filter((u) => DATA.tenants.indexOf(u.tenantSlug) >= 0);
  const writersByTenant = {};
  const cleanupByTenant = {};
  for (const slug of DATA.tenants) {
    const inTenant = users.filter((u) => u.tenantSlug === slug);
    const writers = inTenant.filter((u) => u.roles.some((r) => DATA.writerRoles.indexOf(r) >= 0));
    if (writers.length === 0) fail(`tenant "${slug}" has no user who may create blueprints: seed the database`);
    writersByTenant[slug] = writers;
    const cleanup = inTenant.find((u) => u.roles.indexOf(DATA.cleanupRole) >= 0);
    if (cleanup) {
      const signed = checked('identity.devSignIn', 'mutation', { userId: cleanup.userId }, undefined, 'signIn: token', (d) => typeof d.token === 'string');
      if (!signed) fail(`identity.devSignIn failed for ${cleanup.email}`);
      cleanupByTenant[slug] = cleanup;
    }
  }
  return { runId: `k6-${Date.now().toString(36)}`, users, writersByTenant, cleanupByTenant };
}

// Per-VU state: module globals live as long as the VU (each VU has its own copy).
const vu = { landed: false, tokens: {}, projects: [], listed: [], own: [], seq: 0, user: null, writer: null };

function signIn(user) {
  const d = checked('identity.devSignIn', 'mutation', { userId: user.userId }, undefined, 'signIn: token', (x) => typeof x.token === 'string');
  if (d) vu.tokens[user.userId] = { value: d.token, at: Date.now() };
  return d ? d.token : undefined;
}

function tokenFor(user) {
  const known = vu.tokens[user.userId];
  if (known && Date.now() - known.at < TOKEN_REFRESH_MS) return known.value;
  return signIn(user);
}

function graph(version) {
  const instanceType = DATA.instanceTypes[version % DATA.instanceTypes.length];
  return JSON.parse(JSON.stringify(DATA.graph).split('"$instanceType"').join(JSON.stringify(instanceType)));
}

function list(input, name) {
  const empty = Object.keys(input).length === 0;
  const d = checked('blueprints.list', 'query', input, tokenFor(vu.user), name, (x) => Array.isArray(x.items) && (!empty || x.items.length > 0));
  if (d && d.items.length > 0) vu.listed = d.items.map((i) => ({ id: i.id, currentVersion: i.currentVersion }));
}

function filter() {
  const chosen = choose(DATA.listFilters) || {};
  const project = choose(vu.projects);
  const out = {};
  for (const k of Object.keys(chosen)) {
    if (chosen[k] !== '$project') out[k] = chosen[k];
    else if (project) out[k] = project;
  }
  return out;
}

function byId() {
  const pool = vu.listed.length > 0 ? vu.listed.map((l) => l.id) : vu.own.map((o) => o.id);
  const id = choose(pool);
  if (!id) return list({}, 'list: 200 with items');
  checked('blueprints.byId', 'query', { id }, tokenFor(vu.user), 'byId: 200 with the blueprint', (d) => d.id === id);
}

function create(runId) {
  vu.seq += 1;
  const input = { projectId: choose(vu.projects), name: `${runId}-vu${__VU}-${vu.seq}`, cloud: DATA.blueprintCloud, graph: graph(0), message: 'load test: initial version' };
  const d = checked('blueprints.create', 'mutation', input, tokenFor(vu.writer), 'create: 200 with an id', (x) => typeof x.id === 'string');
  if (d) vu.own.push({ id: d.id, version: d.version });
}

function saveVersion(runId) {
  const mine = choose(vu.own);
  if (!mine) return create(runId);
  const token = tokenFor(vu.writer);
  const input = { id: mine.id, baseVersion: mine.version, graph: graph(mine.version), message: `load test: version ${mine.version + 1}` };
  const d = checked('blueprints.saveVersion', 'mutation', input, token, 'saveVersion: 200 with the next version', (x) => x.version === mine.version + 1);
  if (d) {
    mine.version = d.version;
    return;
  }
  const fresh = checked('blueprints.byId', 'query', { id: mine.id }, token, 'byId: 200 with the blueprint', (x) => typeof x.currentVersion === 'number');
  if (fresh) mine.version = fresh.currentVersion;
}

function diff() {
  const mine = choose(vu.own.filter((o) => o.version >= 2));
  const listed = mine ? undefined : choose(vu.listed.filter((l) => l.currentVersion >= 2));
  let input;
  if (mine) input = { id: mine.id, from: mine.version - 1, to: mine.version };
  else if (listed) input = { id: listed.id, from: 1, to: listed.currentVersion };
  if (!input) return byId();
  checked('blueprints.diff', 'query', input, tokenFor(vu.user), 'diff: 200 with a diff', (d) => d.diff !== undefined);
}

// The first iteration lands (sign in, project list); every later one takes one weighted step. Mirrors load/runner/virtual-user.ts.
export function iteration(name, data) {
  const s = scenario(name);
  backoffMs = 0;
  if (!vu.user) {
    vu.user = data.users[(__VU - 1) % data.users.length];
    const writers = data.writersByTenant[vu.user.tenantSlug];
    vu.writer = writers.some((w) => w.userId === vu.user.userId) ? vu.user : writers[(__VU - 1) % writers.length];
  }
  if (!vu.landed) {
    const token = signIn(vu.user);
    const projects = token ? checked('projects.list', 'query', undefined, token, 'projects: 200 with projects', (d) => Array.isArray(d) && d.length > 0) : undefined;
    vu.projects = projects ? projects.map((p) => p.id) : [];
    vu.landed = vu.projects.length > 0;
  } else {
    const step = pickStep(s.mix);
    if (step === 'signIn') signIn(vu.user);
    else if (step === 'list') list({}, 'list: 200 with items');
    else if (step === 'listFiltered') list(filter(), 'list filtered: 200');
    else if (step === 'byId') byId();
    else if (step === 'create') create(data.runId);
    else if (step === 'saveVersion') saveVersion(data.runId);
    else if (step === 'diff') diff();
    else checked('health.ping', 'query', undefined, undefined, 'health: ok', (d) => d.ok === true);
  }
  const [min, max] = s.thinkTimeSeconds;
  // A shed request's Retry-After replaces a shorter think time: a well-behaved client does not come straight back.
  sleep(Math.max(backoffMs / 1000, min + Math.random() * (max - min)));
}

// teardown(): archive what the run created (its names carry the run id), as each tenant's cleanup user.
export function teardownRun(data) {
  for (const slug of Object.keys(data.cleanupByTenant)) {
    const res = call('identity.devSignIn', 'mutation', { userId: data.cleanupByTenant[slug].userId });
    const signed = res.status === 200 ? dataOf(res) : undefined;
    if (!signed) continue;
    for (let round = 0; round < 1000; round++) {
      const page = dataOf(call('blueprints.list', 'query', { search: data.runId, pageSize: 100 }, signed.token));
      if (!page || page.items.length === 0) break;
      let archived = 0;
      for (const item of page.items) if (call('blueprints.archive', 'mutation', { id: item.id }, signed.token).status === 200) archived += 1;
      if (archived === 0) break;
    }
  }
}
