import postgres from 'postgres';

export interface TBootstrapOptions {
  /** A superuser connection to the cluster's maintenance database. */
  adminUrl: string;
  database: string;
  ownerPassword: string;
  appPassword: string;
}

/**
 * Creates the two roles and the database, idempotently. app_owner owns the tables and runs migrations;
 * app_user is what requests run as: NOSUPERUSER, NOBYPASSRLS, owner of nothing, so RLS always applies.
 */
export async function bootstrapDatabase({ adminUrl, database, ownerPassword, appPassword }: TBootstrapOptions): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const [role, password] of [['app_owner', ownerPassword], ['app_user', appPassword]] as const) {
      const [exists] = await sql`select 1 from pg_roles where rolname = ${role}`;
      const verb = exists ? 'alter' : 'create';
      await sql.unsafe(`${verb} role ${role} with login nosuperuser nobypassrls nocreaterole password '${password.replace(/'/g, "''")}'`);
    }
    const [db] = await sql`select 1 from pg_database where datname = ${database}`;
    if (!db) await sql.unsafe(`create database "${database}" owner app_owner`);
    await sql.unsafe(`grant connect on database "${database}" to app_user`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  // pg_trgm is a trusted extension, but creating it in a fresh database is simplest as the superuser.
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const dbSql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await dbSql`create extension if not exists pg_trgm`;
    await dbSql`revoke create on schema public from public`;
    await dbSql`grant all on schema public to app_owner`;
  } finally {
    await dbSql.end({ timeout: 5 });
  }
}
