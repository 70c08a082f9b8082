import { z } from 'zod';
import { listAuditEvents } from '@dharma/db/queries/audit';
import { permission, router } from '../../trpc/procedures';

const ZInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time with a zone' });
const ZFilter = z.object({
  actorId: z.uuid({ error: 'must be a uuid' }).optional(),
  /** An exact action (`blueprint.create`) or a prefix ending in a dot (`blueprint.`). */
  action: z.string().max(100, { error: 'must be at most 100 characters' }).regex(/^[a-z_.]*$/, { error: 'must be an action such as blueprint.create, or a prefix such as blueprint.' }).optional(),
  targetType: z.string().max(50, { error: 'must be at most 50 characters' }).optional(),
  targetId: z.string().max(200, { error: 'must be at most 200 characters' }).optional(),
  from: ZInstant.optional(),
  to: ZInstant.optional(),
});
const ZEvent = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorType: z.string(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  outcome: z.string(),
});
type TEvent = z.infer<typeof ZEvent>;

/** Most events one export returns; the console says when a filter should be narrowed. */
const EXPORT_MAX = 50_000;

const CSV_COLUMNS = ['id', 'at', 'actorId', 'actorType', 'actorLabel', 'action', 'targetType', 'targetId', 'before', 'after', 'requestId', 'ip', 'userAgent', 'outcome'] as const;
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Quoted always; a leading =, +, - or @ is prefixed so a spreadsheet does not run it as a formula.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};
export const toCsv = (events: readonly TEvent[]) => [CSV_COLUMNS.join(','), ...events.map((e) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(','))].join('\r\n') + '\r\n';

const toEvent = (r: Awaited<ReturnType<typeof listAuditEvents>>[number]): TEvent => ({ ...r, at: r.at.toISOString() });

/** The audit log: read-only for everyone (events are written by the mutations themselves, in their transactions). */
export const auditRouter = router({
  list: permission('audit', 'read')
    .input(ZFilter.extend({ cursor: z.uuid({ error: 'must be the id of an event' }).optional(), limit: z.number().int().min(1).max(500).default(50) }))
    .output(z.object({ items: z.array(ZEvent), next: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.tx((tx) => listAuditEvents(tx, { tenantId: ctx.tenant.id, ...input, after: input.cursor, limit: input.limit + 1 }), { readOnly: true });
      const items = rows.slice(0, input.limit).map(toEvent);
      return { items, next: rows.length > input.limit ? items.at(-1)!.id : null };
    }),

  export: permission('audit', 'read')
    .input(ZFilter.extend({ format: z.enum(['csv', 'json'], { error: 'must be csv or json' }) }))
    .output(z.object({ filename: z.string(), contentType: z.string(), body: z.string(), count: z.number(), truncated: z.boolean() }))
    .query(async ({ ctx, input }) => {
      const { format, ...filter } = input;
      const rows = await ctx.tx((tx) => listAuditEvents(tx, { tenantId: ctx.tenant.id, ...filter, limit: EXPORT_MAX + 1 }), { readOnly: true });
      const events = rows.slice(0, EXPORT_MAX).map(toEvent);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return {
        filename: `audit-${ctx.tenant.slug}-${stamp}.${format}`,
        contentType: format === 'csv' ? 'text/csv' : 'application/json',
        body: format === 'csv' ? toCsv(events) : JSON.stringify(events, null, 2),
        count: events.length,
        truncated: rows.length > EXPORT_MAX,
      };
    }),
});
