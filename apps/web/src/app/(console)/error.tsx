'use client';
import { ErrorState } from '../../components/ui/states';

/** Anything a page did not handle itself: show the message and a way to retry, never a blank page. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      error={error}
      title="This page failed to load"
      action={
        <button type="button" className="btn btn-sm" onClick={reset}>
          Try again
        </button>
      }
    />
  );
}
