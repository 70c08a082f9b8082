import type { ACTOR_TYPES } from './schema/audit';

/**
 * Who makes a change and from where: what every audit event of the transaction records (`audit_record`, migration
 * 0009). Set transaction-locally with the tenant; a change without it is refused by the database.
 */
export interface TAuditActor {
  actorId: string | null;
  actorType: (typeof ACTOR_TYPES)[number];
  /** How the actor reads in the log: an email, a token's name, "seed". */
  actorLabel: string;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}
