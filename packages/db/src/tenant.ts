import { sql } from 'drizzle-orm';
import type { TDb, TExecutor } from './client';

export type TTenantTx = Parameters<Parameters<TDb['transaction']>[0]>[0];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in one transaction whose `app.tenant_id` is set transaction-locally (set_config(..., true)), so the
 * row-level-security policies see exactly this tenant and nothing leaks to the next PgBouncer client.
 */
export async function withTenant<T>(
  db: TDb,
  tenantId: string,
  fn: (tx: TTenantTx) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenant: tenantId must be a uuid, got "${tenantId}"`);
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
      return fn(tx);
    },
    options.readOnly ? { accessMode: 'read only' } : undefined,
  );
}

export type { TExecutor };
