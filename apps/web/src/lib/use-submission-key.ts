'use client';
import { useMemo, useRef } from 'react';
import { newIdempotencyKey } from './idempotency';

export interface TSubmissionKey {
  /** The key of the current submission attempt, made on first use and kept through retries of the same attempt. */
  take: () => string;
  /** Starts a new submission: after a success, or when the user edits the form. */
  renew: () => void;
}

/**
 * One idempotency key per submission attempt. A retry after a network error, a timeout or a 503 sends the same key,
 * so the services answer it with the first result instead of saving twice; anything the user changes renews it,
 * because an edited form is a different request that must never be answered with an earlier one's result.
 */
export function useSubmissionKey(): TSubmissionKey {
  const key = useRef<string | null>(null);
  return useMemo(
    () => ({
      take: () => (key.current ??= newIdempotencyKey()),
      renew: () => {
        key.current = null;
      },
    }),
    [],
  );
}
