import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { isRetryable, toApiError, type TFieldIssue } from './errors';
import { formToGraph, type TGraphForm } from './graph-form';

/** The blueprint's own fields, checked with the same limits (and messages) as the services' input schemas. */
export function checkMeta(meta: { name: string; description: string; message: string }, { messageRequired }: { messageRequired: boolean }): TFieldIssue[] {
  const issues: TFieldIssue[] = [];
  const name = meta.name.trim();
  if (name === '') issues.push({ field: 'name', message: 'must not be empty' });
  else if (name.length > 120) issues.push({ field: 'name', message: 'must be at most 120 characters' });
  if (meta.description.trim().length > 2000) issues.push({ field: 'description', message: 'must be at most 2000 characters' });
  const message = meta.message.trim();
  if (messageRequired && message === '') issues.push({ field: 'message', message: 'describe what changed' });
  else if (message.length > 500) issues.push({ field: 'message', message: 'must be at most 500 characters' });
  return issues;
}

/** Scrolls to and focuses the first field the issues name, so a failed save never looks like nothing happened. */
export function focusFirstInvalid() {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('.invalid, [data-testid="form-issues"]');
    el?.scrollIntoView({ block: 'center' });
    if (el && 'focus' in el) el.focus();
  });
}

/**
 * Checks a blueprint form before it is sent: shows every issue (the blueprint's fields first, then the graph's) next
 * to its field and focuses the first. Returns the graph when there is nothing to fix, otherwise null.
 */
export function validateBlueprintForm(fieldIssues: TFieldIssue[], form: TGraphForm, show: (issues: TFieldIssue[]) => void): TBlueprintGraph | null {
  const { graph, issues } = formToGraph(form);
  const all = [...fieldIssues, ...issues];
  show(all);
  if (all.length > 0 || !graph) {
    focusFirstInvalid();
    return null;
  }
  return graph;
}

/**
 * What a failed submission shows. When sending it again may work (no answer, a timeout, the services unavailable),
 * it says so: the form is kept, and the retry goes with the same idempotency key, so the services can tell it is the
 * same submission and not save it twice.
 */
export function submitFailure(error: unknown, button: string): { message: string; issues: TFieldIssue[] } {
  const e = toApiError(error);
  if (!isRetryable(error)) return { message: e.message, issues: e.issues };
  return {
    message: `Not saved yet: ${e.message}. Your edits are kept: press “${button}” again to retry. The retry carries the same idempotency key, so the services can tell it is this submission again.`,
    issues: [],
  };
}
