/**
 * Domain errors: thrown by queries and domain logic, mapped to transport errors in exactly one place
 * (the services' error formatter). `field` names the input field at fault, when there is one; `details` are
 * facts a client can act on (for a version conflict, the current version).
 */
export type TDomainErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'BAD_REQUEST' | 'PRECONDITION_FAILED' | 'UNPROCESSABLE_CONTENT';

export class DomainError extends Error {
  constructor(
    readonly code: TDomainErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Readonly<Record<string, string | number | boolean | null>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, field?: string) => new DomainError('NOT_FOUND', `${what} not found`, field);
export const conflict = (message: string, field?: string) => new DomainError('CONFLICT', message, field);

/** Postgres error codes we turn into domain errors instead of 500s. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}

/** A field of a Postgres error (postgres.js names them `column_name`, `constraint_name`, `detail`...), on it or its cause. */
export function pgErrorField(error: unknown, name: 'column_name' | 'constraint_name' | 'detail' | 'message'): string | undefined {
  const e = error as Record<string, unknown> & { cause?: Record<string, unknown> };
  const own = e?.[name];
  if (typeof own === 'string' && typeof e.code === 'string') return own;
  const inner = e?.cause?.[name];
  return typeof inner === 'string' ? inner : undefined;
}

/** The SQLSTATEs our database functions raise for a caller's mistake (class DH, migration 0005), by domain code. */
const DH_CODES: Record<string, TDomainErrorCode> = {
  DH400: 'BAD_REQUEST',
  DH403: 'FORBIDDEN',
  DH404: 'NOT_FOUND',
  DH409: 'CONFLICT',
  DH412: 'PRECONDITION_FAILED',
  DH422: 'UNPROCESSABLE_CONTENT',
};

/**
 * The domain error a database function raised (`RAISE ... USING ERRCODE = 'DH404', COLUMN = 'projectId'`), with its
 * message, its field (COLUMN) and, when DETAIL is a JSON object, its details; undefined for any other error.
 */
export function domainErrorFromPg(error: unknown): DomainError | undefined {
  const code = pgErrorCode(error);
  const domain = code === undefined ? undefined : DH_CODES[code];
  if (!domain) return undefined;
  let details: Record<string, string | number | boolean | null> | undefined;
  const detail = pgErrorField(error, 'detail');
  if (detail?.startsWith('{')) {
    try {
      details = JSON.parse(detail) as Record<string, string | number | boolean | null>;
    } catch {
      details = undefined;
    }
  }
  return new DomainError(domain, pgErrorField(error, 'message') ?? 'refused', pgErrorField(error, 'column_name'), details);
}

/** A database call that got no answer within its time budget (queueing for a connection included). */
export class DatabaseTimeout extends Error {
  readonly code = 'DB_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`the database did not answer within ${timeoutMs} ms`);
    this.name = 'DatabaseTimeout';
  }
}

/** A database call refused before it was sent: too many calls of this process are already waiting for the database. */
export class DatabaseBusy extends Error {
  readonly code = 'DB_BUSY';
  constructor(readonly limit: number) {
    super(`${limit} database calls are already waiting in this process`);
    this.name = 'DatabaseBusy';
  }
}

/**
 * Error codes that mean the database, or PgBouncer in front of it, cannot be reached or dropped the connection:
 * postgres.js's own (CONNECTION_CLOSED, ...), the socket's (ECONNREFUSED, ...), SQLSTATE class 08 (connection
 * exception; PgBouncer reports its own failures as 08P01), and a server shutting down, starting or full.
 */
const UNREACHABLE = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'DB_TIMEOUT', 'DB_BUSY',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '57014', '53300', '58000', '58030',
]);

/** True when the error says the database is unavailable (rather than that the request was wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== undefined && (UNREACHABLE.has(code) || code.startsWith('08'));
}

/** Two requests with one idempotency key ran at once and the other committed first: run the write again to get its result. */
export class IdempotencyRace extends Error {
  constructor() {
    super('a request with the same idempotency key committed first');
    this.name = 'IdempotencyRace';
  }
}
