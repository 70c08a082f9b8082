import { z } from 'zod';
import { isSystemRole, ROLES, systemPermissions } from '@dharma/auth/rbac';
import { DomainError } from '@dharma/db/errors';
import { deleteCustomRole, listCustomRoles, saveCustomRole } from '@dharma/db/queries/identity';
import { accessTags } from '../../trpc/auth';
import { permission, router } from '../../trpc/procedures';
import { ZPermissionOut, ZRoleNameInput, ZSaveRoleInput } from './identity.schema';

const ZRoleRow = z.object({ name: z.string(), system: z.boolean(), description: z.string(), permissions: z.array(ZPermissionOut) });

/**
 * The seven system roles (fixed, from the permission table) and the tenant's custom roles, each exactly the
 * permissions it lists. A change to a custom role bumps every access entry of the tenant: its holders' next
 * requests run with the new list.
 */
export const rolesRouter = router({
  list: permission('role', 'read')
    .output(z.array(ZRoleRow))
    .query(async ({ ctx }) => {
      const custom = await ctx.tx((tx) => listCustomRoles(tx, { tenantId: ctx.tenant.id }), { readOnly: true });
      return [
        ...ROLES.map((name) => ({ name, system: true, description: 'system role', permissions: systemPermissions(name) })),
        ...custom.map((r) => ({ name: r.name, system: false, description: r.description, permissions: r.permissions })),
      ];
    }),

  save: permission('role', 'manage')
    .input(ZSaveRoleInput)
    .output(z.object({ id: z.string(), created: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      if (isSystemRole(input.name)) throw new DomainError('BAD_REQUEST', `"${input.name}" is a system role, which cannot be changed: pick another name`, 'name');
      const saved = await ctx.tx((tx) => saveCustomRole(tx, { tenantId: ctx.tenant.id, ...input }));
      await ctx.cache.invalidate([accessTags.tenant]);
      return saved;
    }),

  delete: permission('role', 'manage')
    .input(ZRoleNameInput)
    .output(z.object({ revokedGrants: z.number() }))
    .mutation(async ({ ctx, input }) => {
      if (isSystemRole(input.name)) throw new DomainError('BAD_REQUEST', `"${input.name}" is a system role, which cannot be deleted`, 'name');
      const done = await ctx.tx((tx) => deleteCustomRole(tx, { tenantId: ctx.tenant.id, name: input.name }));
      await ctx.cache.invalidate([accessTags.tenant]);
      return done;
    }),
});
