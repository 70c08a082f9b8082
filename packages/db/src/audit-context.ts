export const ACTOR_KINDS = ['user', 'token', 'service', 'system'] as const;

/**
 * Who makes a change and from where: what every audit event of the transaction records (`audit_record`, migration
 * 0009). Set transaction-locally with the tenant; a change without it is refused by the database.
 */
export interface TAuditActor {
  actorId: string | null;
  actorType: (typeof ACTOR_KINDS)[number];
  /** How the actor reads in the log: an email, a token's name, "seed". */
  actorLabel: string;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** The statement that sets the actor for the rest of the transaction (transaction-local: PgBouncer-safe). */
export function auditActorStatement(actor: TAuditActor): string {
  // JSON.stringify leaves no NUL and no backslash escape PostgreSQL would read (standard_conforming_strings is on):
  // doubling quotes is the whole escaping rule, as in `literal`.
  return `select set_config('app.audit', '${JSON.stringify(actor).replaceAll("'", "''")}', true)`;
}
