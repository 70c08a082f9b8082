import type { TFieldIssue } from '../../lib/errors';

/** A summary of every problem above the form: each one is also shown next to its field. */
export function FormIssues({ issues, message }: { issues: readonly TFieldIssue[]; message?: string | null }) {
  if (issues.length === 0 && !message) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid="form-issues" tabIndex={-1}>
      <strong>{message ?? `Nothing was saved: fix ${issues.length === 1 ? 'this problem' : `these ${issues.length} problems`} first.`}</strong>
      {issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
