/**
 * Domain errors: thrown by queries and domain logic, mapped to transport errors in exactly one place
 * (the services' error formatter). `field` names the input field at fault, when there is one.
 */
export type TDomainErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'BAD_REQUEST' | 'PRECONDITION_FAILED';

export class DomainError extends Error {
  constructor(
    readonly code: TDomainErrorCode,
    message: string,
    readonly field?: string,
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
