import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/**
 * Applies the committed migrations as the owner role, directly against Postgres (never through PgBouncer), then
 * checks that every enterprise tenant's schema still matches the shared tables it copies (migration 0017): a
 * migration that changed a tenant table and forgot `tenant_schemas_apply` fails here, naming what differs, instead
 * of leaving enterprise tenants on an older shape.
 */
export async function runMigrations(ownerUrl: string): Promise<void> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    const drift = await sql<{ line: string }[]>`select d as line from tenant_schemas() s, tenant_schema_drift(s) d`;
    if (drift.length > 0) {
      throw new Error(`migrations: ${drift.length} difference(s) between tenant schemas and the shared tables; a migration changed a tenant table without tenant_schemas_apply:\n${drift.map((d) => `  ${d.line}`).join('\n')}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
