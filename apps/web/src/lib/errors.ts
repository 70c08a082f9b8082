import { TRPCClientError } from '@trpc/client';

export interface TFieldIssue {
  field: string;
  message: string;
}

/** What the console needs from any failed call: the tRPC code, the server's message and the field issues. */
export interface TApiError {
  code: string;
  httpStatus: number | null;
  message: string;
  issues: TFieldIssue[];
}

const isIssue = (v: unknown): v is TFieldIssue =>
  typeof v === 'object' && v !== null && typeof (v as TFieldIssue).field === 'string' && typeof (v as TFieldIssue).message === 'string';

export function toApiError(error: unknown): TApiError {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as { code?: unknown; httpStatus?: unknown; issues?: unknown };
    return {
      code: typeof data.code === 'string' ? data.code : 'NETWORK',
      httpStatus: typeof data.httpStatus === 'number' ? data.httpStatus : null,
      message: error.message || 'request failed',
      issues: Array.isArray(data.issues) ? data.issues.filter(isIssue) : [],
    };
  }
  return { code: 'UNKNOWN', httpStatus: null, message: error instanceof Error ? error.message : String(error), issues: [] };
}

export const errorCode = (error: unknown) => toApiError(error).code;

/** Client errors (4xx) will not get better by asking again. */
export function isClientError(error: unknown): boolean {
  const { httpStatus } = toApiError(error);
  return httpStatus !== null && httpStatus >= 400 && httpStatus < 500;
}

/** Not found, or an id that is not even a uuid: both mean "no such record here". */
export const isMissing = (error: unknown) => errorCode(error) === 'NOT_FOUND' || errorCode(error) === 'BAD_REQUEST';

/**
 * A failure that sending the same request again may get past: no answer at all (network, timeout), or the services
 * overloaded or unavailable. Not a refusal: those say what to change instead.
 */
export function isRetryable(error: unknown): boolean {
  const { code, httpStatus } = toApiError(error);
  if (httpStatus === null) return code === 'NETWORK';
  return httpStatus === 408 || httpStatus === 429 || httpStatus >= 500;
}
