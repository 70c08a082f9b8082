import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { DomainError } from '@dharma/db/errors';
import { recordEvent } from '@dharma/db/queries/audit';
import { exportTenant, offboardTenant, platformTenant, platformTenants, provisionTenant, setTenant } from '@dharma/db/queries/platform';
import { accessTags } from '../../trpc/auth';
import { permission, router } from '../../trpc/procedures';

const ZUuid = z.uuid({ error: 'must be a uuid' });
const ZQuota = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(10_000_000).nullable();

/**
 * Platform administration, for the admins of the platform tenant (PLATFORM_TENANT): every tenant, provisioning,
 * suspension (its people are refused at their next request), quotas (an insert past one is refused naming it), and
 * offboarding (an export, then deletion of everything the tenant holds). Each change is an event of the platform
 * tenant's audit log, which outlives the tenant it describes.
 */
const platformProcedure = permission('tenant', 'manage').use(({ ctx, next }) => {
  if (ctx.tenant.slug !== ctx.deps.env.PLATFORM_TENANT) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `platform administration is for the admins of the platform tenant (${ctx.deps.env.PLATFORM_TENANT})` });
  }
  return next();
});

const ZTenantRow = z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string(), tier: z.string(), isolation: z.enum(['shared', 'schema']), quotas: z.record(z.string(), z.number()), ssoRequired: z.boolean(), createdAt: z.string(), users: z.number(), blueprints: z.number() });

export const platformRouter = router({
  tenants: platformProcedure.output(z.array(ZTenantRow)).query(({ ctx }) => ctx.tx((tx) => platformTenants(tx), { readOnly: true })),

  provision: platformProcedure
    .input(
      z.object({
        slug: z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9-]{1,40}$/, { error: 'must be 2-41 characters: a-z, 0-9 and -, starting with a letter' }),
        name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
        tier: z.enum(['free', 'team', 'enterprise'], { error: 'must be free, team or enterprise' }).default('team'),
        /** `shared`: the standard isolation tier (shared tables, row-level security); `schema`: enterprise, a schema of its own. */
        isolation: z.enum(['shared', 'schema'], { error: 'must be shared (standard) or schema (enterprise)' }).default('shared'),
        adminEmail: z.email({ error: 'must be an email address' }).max(320),
        adminName: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
      }),
    )
    .output(z.object({ tenantId: z.string(), adminId: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.tx(async (tx) => {
        const made = await provisionTenant(tx, input);
        await recordEvent(tx, { action: 'platform.tenant_provision', targetType: 'tenant', targetId: made.tenantId, after: input });
        return made;
      }),
    ),

  /** Suspends or resumes a tenant; a suspended tenant's people and tokens are refused at their next request. */
  setStatus: platformProcedure
    .input(z.object({ tenantId: ZUuid, status: z.enum(['active', 'suspended'], { error: 'must be active or suspended' }) }))
    .output(z.object({ status: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (input.tenantId === ctx.tenant.id && input.status === 'suspended') throw new DomainError('BAD_REQUEST', 'the platform tenant cannot suspend itself', 'tenantId');
      const out = await ctx.tx(async (tx) => {
        const changed = await setTenant(tx, { tenantId: input.tenantId, status: input.status, quotas: null });
        if (!changed) throw new DomainError('NOT_FOUND', 'tenant not found', 'tenantId');
        await recordEvent(tx, { action: input.status === 'suspended' ? 'platform.tenant_suspend' : 'platform.tenant_resume', targetType: 'tenant', targetId: input.tenantId, before: { slug: changed.before.slug, status: changed.before.status }, after: { status: changed.after.status } });
        return changed.after;
      });
      // Every cached access entry of that tenant is read again: its people are refused (or let in) at once.
      await ctx.deps.cache.invalidate({ tenantId: input.tenantId, tags: [accessTags.tenant] });
      return { status: out.status };
    }),

  setQuotas: platformProcedure
    .input(z.object({ tenantId: ZUuid, quotas: z.object({ blueprints: ZQuota.optional(), users: ZQuota.optional() }, { error: 'must be an object of quotas' }).strict() }))
    .output(z.object({ quotas: z.record(z.string(), z.number()) }))
    .mutation(({ ctx, input }) =>
      ctx.tx(async (tx) => {
        const quotas = Object.fromEntries(Object.entries(input.quotas).filter((e): e is [string, number] => typeof e[1] === 'number'));
        const changed = await setTenant(tx, { tenantId: input.tenantId, status: null, quotas });
        if (!changed) throw new DomainError('NOT_FOUND', 'tenant not found', 'tenantId');
        await recordEvent(tx, { action: 'platform.tenant_quotas', targetType: 'tenant', targetId: input.tenantId, before: { quotas: changed.before.quotas }, after: { quotas: changed.after.quotas } });
        return { quotas: changed.after.quotas };
      }),
    ),

  /** Everything the tenant holds, as JSON (read inside the tenant). One event. */
  export: platformProcedure
    .input(z.object({ tenantId: ZUuid }))
    .output(z.object({ json: z.string(), bytes: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const data = await ctx.deps.inTenant(input.tenantId, (tx) => exportTenant(tx, { tenantId: input.tenantId }), { readOnly: true });
      if (!data.tenant) throw new DomainError('NOT_FOUND', 'tenant not found', 'tenantId');
      const json = JSON.stringify(data, null, 2);
      await ctx.tx((tx) => recordEvent(tx, { action: 'platform.tenant_export', targetType: 'tenant', targetId: input.tenantId, after: { slug: data.tenant!.slug, bytes: Buffer.byteLength(json) } }));
      return { json, bytes: Buffer.byteLength(json) };
    }),

  /**
   * Deletes a tenant and all it holds, its saved versions and audit events included (the only path the immutability
   * rules let through). The caller confirms by typing the tenant's slug; export first.
   */
  offboard: platformProcedure
    .input(z.object({ tenantId: ZUuid, confirmSlug: z.string({ error: 'must be the slug of the tenant, typed to confirm' }) }))
    .output(z.object({ slug: z.string(), users: z.number(), blueprints: z.number(), versions: z.number(), events: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const done = await ctx.tx(async (tx) => {
        const row = await platformTenant(tx, input.tenantId);
        if (!row) throw new DomainError('NOT_FOUND', 'tenant not found', 'tenantId');
        if (row.slug !== input.confirmSlug.trim()) throw new DomainError('BAD_REQUEST', `type the tenant's slug (${row.slug}) to confirm`, 'confirmSlug');
        const out = await offboardTenant(tx, { tenantId: input.tenantId, platformSlug: ctx.deps.env.PLATFORM_TENANT });
        await recordEvent(tx, { action: 'platform.tenant_offboard', targetType: 'tenant', targetId: input.tenantId, before: { slug: out.slug }, after: out });
        return out;
      });
      await ctx.deps.cache.invalidate({ tenantId: input.tenantId, tags: [accessTags.tenant] });
      return done;
    }),
});
