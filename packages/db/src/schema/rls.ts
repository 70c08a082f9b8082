import { sql, type SQL } from 'drizzle-orm';
import { pgPolicy, pgRole, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** The runtime role: not the owner of any table, NOBYPASSRLS. Created by the bootstrap, not by migrations. */
export const appUser = pgRole('app_user').existing();

/**
 * The tenant set for the current transaction by `withTenant`. `''` (not NULL) after a transaction-local
 * set_config has ended, hence the nullif: a connection with no tenant set matches no row.
 */
export const currentTenant: SQL = sql`nullif(current_setting('app.tenant_id', true), '')::uuid`;

/** One policy for the runtime role: rows are visible and writable only inside their own tenant. */
export function tenantPolicy(name: string, column: AnyPgColumn) {
  return pgPolicy(`${name}_tenant_isolation`, {
    as: 'permissive',
    for: 'all',
    to: appUser,
    using: sql`${column} = ${currentTenant}`,
    withCheck: sql`${column} = ${currentTenant}`,
  });
}
