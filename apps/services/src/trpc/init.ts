import { initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import { DomainError } from '@dharma/db/errors';
import type { TContext } from './context';

export interface TFieldIssue {
  field: string;
  message: string;
}

/** `graph.relations.2.to` → `graph.relations[2].to`: how users read a path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

export function zodIssues(error: ZodError): TFieldIssue[] {
  return error.issues.map((i) => ({ field: fieldPath(i.path) || '(input)', message: i.message }));
}

/**
 * initTRPC, once. The formatter is the single place errors become responses: validation errors list every
 * field with its reason (and the message names the first), domain errors carry their field, and an unexpected
 * error never leaks its message to the caller.
 */
export const t = initTRPC.context<TContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    let issues: TFieldIssue[] | undefined;
    let message = shape.message;
    if (cause instanceof ZodError) {
      issues = zodIssues(cause);
      const first = issues[0];
      message = first ? `${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : 'invalid input';
    } else if (cause instanceof DomainError && cause.field) {
      issues = [{ field: cause.field, message: cause.message }];
      message = `${cause.field}: ${cause.message}`;
    } else if (error.code === 'INTERNAL_SERVER_ERROR') {
      message = `internal error (request ${ctx?.requestId ?? 'unknown'})`;
    }
    const { stack: _stack, ...data } = shape.data;
    // Facts a client can act on, such as the current version after a conflict (`data.currentVersion`).
    const details = cause instanceof DomainError ? cause.details : undefined;
    return { ...shape, message, data: { ...details, ...data, requestId: ctx?.requestId, ...(issues ? { issues } : {}) } };
  },
});
