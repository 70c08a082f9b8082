import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { TDb, TExecutor } from '../client';
import { auditEvents } from '../schema/audit';

/**
 * Records one audit event in the transaction it is part of, for the actor that transaction set (`app.audit`):
 * `audit_record` (migration 0009), which refuses a change whose actor was never set.
 */
export function recordEvent(
  db: TExecutor | TDb,
  e: { action: string; targetType: string; targetId: string | null; before?: unknown; after?: unknown },
) {
  const json = (v: unknown) => (v === undefined || v === null ? sql`null` : sql`${JSON.stringify(v)}::jsonb`);
  return db.execute(sql`select audit_record(${e.action}, ${e.targetType}, ${e.targetId}, ${json(e.before)}, ${json(e.after)})`);
}

export interface TAuditFilter {
  tenantId: string;
  actorId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** The id of the last event of the previous page: the next page starts after it. */
  after?: string | undefined;
  limit: number;
}

const columns = {
  id: auditEvents.id,
  at: auditEvents.at,
  actorId: auditEvents.actorId,
  actorType: auditEvents.actorType,
  actorLabel: auditEvents.actorLabel,
  action: auditEvents.action,
  targetType: auditEvents.targetType,
  targetId: auditEvents.targetId,
  before: auditEvents.before,
  after: auditEvents.after,
  requestId: auditEvents.requestId,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
  outcome: auditEvents.outcome,
};

/** Events newest first, filtered, a page at a time (keyset on `at`, `id`: stable while events keep arriving). */
export function listAuditEvents(db: TExecutor, f: TAuditFilter) {
  const where: SQL[] = [eq(auditEvents.tenantId, f.tenantId)];
  if (f.actorId) where.push(eq(auditEvents.actorId, f.actorId));
  if (f.action) where.push(f.action.endsWith('.') ? sql`${auditEvents.action} like ${`${f.action.replace(/[\\%_]/g, '\\$&')}%`}` : eq(auditEvents.action, f.action));
  if (f.targetType) where.push(eq(auditEvents.targetType, f.targetType));
  if (f.targetId) where.push(eq(auditEvents.targetId, f.targetId));
  if (f.from) where.push(gte(auditEvents.at, new Date(f.from)));
  if (f.to) where.push(lte(auditEvents.at, new Date(f.to)));
  // Compared in the database at full (microsecond) precision, which a JavaScript Date would round away.
  if (f.after) where.push(sql`(${auditEvents.at}, ${auditEvents.id}) < (select a.at, a.id from audit_events a where a.id = ${f.after})`);
  return db.select(columns).from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(f.limit);
}
