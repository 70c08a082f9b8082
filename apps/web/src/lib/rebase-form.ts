import { addedRowKey, type TComponentRow, type TGraphForm, type TRelationRow } from './graph-form';

/**
 * Re-applies the user's edits (from `base`, the version they started from, to `mine`, the form) on top of `theirs`,
 * the version someone saved meanwhile: a three-way merge per field, so what the other person changed and the user
 * did not touch is kept. Where both changed the same field differently the user's value wins and a conflict is
 * reported, so they can review it before saving. Components are matched by id, relations by (from, to, type);
 * properties and tags merge per key while all three parse as JSON objects, otherwise as whole texts.
 */
export interface TRebaseInput {
  base: { form: TGraphForm; name: string; description: string };
  mine: { form: TGraphForm; name: string; description: string };
  theirs: { form: TGraphForm; name: string; description: string; version: number };
}

export interface TRebaseResult {
  form: TGraphForm;
  name: string;
  description: string;
  /** One sentence per place where both sides changed the same thing; the user's side was kept. */
  conflicts: string[];
}

type TPick = { value: string; conflict: boolean };

/** The three-way rule for one value; `base` undefined means neither side had it before. */
function pick(base: string | undefined, mine: string, theirs: string): TPick {
  if (mine === theirs) return { value: mine, conflict: false };
  if (base !== undefined && mine === base) return { value: theirs, conflict: false };
  if (base !== undefined && theirs === base) return { value: mine, conflict: false };
  return { value: mine, conflict: true };
}

function parseObject(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return {};
  const trimmed = text.trim();
  if (trimmed === '') return {};
  try {
    const v: unknown = JSON.parse(trimmed);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Merges a JSON-object text key by key; reports the keys both sides changed differently. */
function mergeJson(base: string | undefined, mine: string, theirs: string, format: (v: Record<string, unknown>) => string): { value: string; conflicts: string[] } {
  const b = parseObject(base);
  const m = parseObject(mine);
  const t = parseObject(theirs);
  if (!b || !m || !t) {
    const whole = pick(base, mine, theirs);
    return { value: whole.value, conflicts: whole.conflict ? [''] : [] };
  }
  const enc = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));
  const out: Record<string, unknown> = {};
  const conflicts: string[] = [];
  // Keys in the user's order, then keys only the other side has: the user's text stays recognisable.
  const keys = [...new Set([...Object.keys(m), ...Object.keys(t), ...Object.keys(b)])];
  for (const key of keys) {
    const [bv, mv, tv] = [enc(b[key]), enc(m[key]), enc(t[key])];
    let chosen: string | undefined;
    if (mv === tv) chosen = mv;
    else if (mv === bv) chosen = tv;
    else if (tv === bv) chosen = mv;
    else {
      chosen = mv;
      conflicts.push(key);
    }
    if (chosen !== undefined) out[key] = JSON.parse(chosen);
  }
  const unchangedByMe = JSON.stringify(m) === JSON.stringify(out);
  // Keep the user's own text (comments aside, their spacing) when the merge left their object as it was.
  return { value: unchangedByMe ? mine : format(out), conflicts };
}

const pretty = (v: Record<string, unknown>) => JSON.stringify(v, null, 2);
const compact = (v: Record<string, unknown>) => (Object.keys(v).length > 0 ? JSON.stringify(v) : '{}');
const show = (s: string) => (s.length > 40 ? `“${s.slice(0, 37)}…”` : `“${s}”`);

const COMPONENT_FIELDS = ['kind', 'name', 'cloud', 'region'] as const;

function sameComponent(a: TComponentRow, b: TComponentRow): boolean {
  return COMPONENT_FIELDS.every((f) => a[f] === b[f]) && JSON.stringify(parseObject(a.properties)) === JSON.stringify(parseObject(b.properties)) && JSON.stringify(parseObject(a.tags)) === JSON.stringify(parseObject(b.tags));
}

function mergeComponent(base: TComponentRow | undefined, mine: TComponentRow, theirs: TComponentRow, v: number, conflicts: string[]): TComponentRow {
  const out: TComponentRow = { ...mine };
  const where = `component “${mine.id.trim()}”`;
  for (const f of COMPONENT_FIELDS) {
    const r = pick(base?.[f], mine[f], theirs[f]);
    out[f] = r.value;
    if (r.conflict) conflicts.push(`${where}, ${f}: you set ${show(mine[f])}, version ${v} has ${show(theirs[f])}; yours is kept.`);
  }
  for (const f of ['properties', 'tags'] as const) {
    const r = mergeJson(base?.[f], mine[f], theirs[f], pretty);
    out[f] = r.value;
    for (const key of r.conflicts) conflicts.push(`${where}, ${f}${key ? `.${key}` : ''}: you and version ${v} both changed it; yours is kept.`);
  }
  // The canvas position is not edited here: the newest one wins.
  if (theirs.position) out.position = theirs.position;
  return out;
}

const relationId = (r: TRelationRow) => `${r.from.trim()}>${r.to.trim()}:${r.type}`;
const relationName = (r: TRelationRow) => `relation ${r.from.trim()} → ${r.to.trim()} (${r.type})`;

function indexBy<T>(rows: readonly T[], id: (row: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) if (id(row) !== '' && !map.has(id(row))) map.set(id(row), row);
  return map;
}

/**
 * Walks the other side's rows in their order, then appends the user's own additions: every row keeps the user's
 * key when the user has it (inputs keep focus and identity), rows only the other side has get fresh keys.
 */
function mergeRows<T extends { key: string }>(
  rows: { base: readonly T[]; mine: readonly T[]; theirs: readonly T[] },
  id: (row: T) => string,
  same: (a: T, b: T) => boolean,
  merge: (base: T | undefined, mine: T, theirs: T) => T,
  say: { removedByMe: (row: T) => string; removedByThem: (row: T) => string },
  conflicts: string[],
): T[] {
  const base = indexBy(rows.base, id);
  const mine = indexBy(rows.mine, id);
  const theirs = indexBy(rows.theirs, id);
  const out: T[] = [];
  const placed = new Set<T>();
  for (const t of rows.theirs) {
    const key = id(t);
    const m = mine.get(key);
    const b = base.get(key);
    if (m) {
      out.push(merge(b, m, t));
      placed.add(m);
    } else if (b) {
      if (!same(b, t)) conflicts.push(say.removedByMe(t));
    } else {
      out.push({ ...t, key: addedRowKey() });
    }
  }
  for (const m of rows.mine) {
    if (placed.has(m)) continue;
    const key = id(m);
    const b = key === '' ? undefined : base.get(key);
    if (b && !theirs.has(key)) {
      if (same(b, m)) continue;
      conflicts.push(say.removedByThem(m));
    }
    out.push(m);
  }
  return out;
}

export function rebaseForm({ base, mine, theirs }: TRebaseInput): TRebaseResult {
  const v = theirs.version;
  const conflicts: string[] = [];
  const components = mergeRows<TComponentRow>(
    { base: base.form.components, mine: mine.form.components, theirs: theirs.form.components },
    (c) => c.id.trim(),
    sameComponent,
    (b, m, t) => mergeComponent(b, m, t, v, conflicts),
    {
      removedByMe: (c) => `component “${c.id}”: you removed it, version ${v} changed it; it stays removed.`,
      removedByThem: (c) => `component “${c.id.trim()}”: version ${v} removed it, you changed it; yours is kept.`,
    },
    conflicts,
  );
  const relations = mergeRows<TRelationRow>(
    { base: base.form.relations, mine: mine.form.relations, theirs: theirs.form.relations },
    relationId,
    (a, b) => JSON.stringify(parseObject(a.properties)) === JSON.stringify(parseObject(b.properties)),
    (b, m, t) => {
      const r = mergeJson(b?.properties, m.properties, t.properties, compact);
      for (const key of r.conflicts) conflicts.push(`${relationName(m)}, properties${key ? `.${key}` : ''}: you and version ${v} both changed it; yours is kept.`);
      return { ...m, properties: r.value };
    },
    {
      removedByMe: (r) => `${relationName(r)}: you removed it, version ${v} changed it; it stays removed.`,
      removedByThem: (r) => `${relationName(r)}: version ${v} removed it, you changed it; yours is kept.`,
    },
    conflicts,
  );
  const meta = (field: 'name' | 'description') => {
    const r = pick(base[field].trim(), mine[field].trim(), theirs[field].trim());
    if (r.conflict) conflicts.push(`${field === 'name' ? 'Name' : 'Description'}: you set ${show(mine[field].trim())}, version ${v} has ${show(theirs[field].trim())}; yours is kept.`);
    return r.value === mine[field].trim() ? mine[field] : r.value;
  };
  return { form: { components, relations }, name: meta('name'), description: meta('description'), conflicts };
}
