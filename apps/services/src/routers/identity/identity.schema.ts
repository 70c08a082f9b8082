import { z } from 'zod';
import { ZPermission, ZRole } from '@dharma/auth/rbac';

const ZUuid = z.uuid({ error: 'must be a uuid' });

/** An instant in the future, as ISO 8601 with a zone (`2027-01-31T00:00:00Z`). */
const ZFutureInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date and time with a zone, for example 2027-01-31T00:00:00Z' })
  .refine((v) => Date.parse(v) > Date.now(), { error: 'must be in the future' });

export const ZRoleName = z
  .string({ error: 'must be a role name' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[a-z][a-z0-9_-]*$/, { error: 'must start with a lowercase letter and use only a-z, 0-9, _ and -' });

export const ZGrantRoleInput = z.object({ userId: ZUuid, role: ZRoleName, expiresAt: ZFutureInstant.nullable().default(null) });
export const ZRevokeRoleInput = z.object({ userId: ZUuid, role: ZRoleName });
export const ZSetUserStatusInput = z.object({ userId: ZUuid, status: z.enum(['active', 'disabled'], { error: 'must be active or disabled' }) });
export const ZServiceAccountInput = z.object({ name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }) });

export const ZSaveRoleInput = z.object({
  name: ZRoleName,
  description: z.string().max(500, { error: 'must be at most 500 characters' }).default(''),
  permissions: z.array(ZPermission).min(1, { error: 'must list at least one permission' }).max(200, { error: 'must list at most 200 permissions' }),
});
export const ZRoleNameInput = z.object({ name: ZRoleName });

export const ZCreateTokenInput = z.object({
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  permissions: z.array(ZPermission).min(1, { error: 'must list at least one permission' }).max(200, { error: 'must list at most 200 permissions' }),
  expiresAt: ZFutureInstant.refine((v) => Date.parse(v) <= Date.now() + 366 * 86_400_000, { error: 'must be within a year' }),
  /** A service account's id (admins); omitted: a personal token of the caller. */
  userId: ZUuid.optional(),
});
export const ZTokenIdInput = z.object({ id: ZUuid });
export const ZListTokensInput = z.object({ all: z.boolean().default(false) }).default({ all: false });

export const ZPermissionOut = z.object({ resource: z.string(), action: z.string(), scope: z.string() });

/** A person as sign-in finds them: who, in which tenant, with which system roles. */
export const ZDirectoryEntry = z.object({
  userId: z.string(),
  tenantId: z.string(),
  tenantSlug: z.string(),
  tenantName: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(ZRole),
});
