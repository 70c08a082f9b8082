import { COMPONENT_KINDS, CLOUDS } from '@dharma/db/blueprint-graph';
import { useId } from 'react';
import type { TFieldIssue } from '../../lib/errors';
import { issuesAt, type TComponentRow } from '../../lib/graph-form';
import { FieldErrors } from '../ui/field';

/** One component of the graph editor: a line of fields, then its properties and tags as JSON boxes. */
export function ComponentRowEditor({
  row: c, index: i, issues, disabled, onPatch, onRename, onRemove,
}: {
  row: TComponentRow;
  index: number;
  issues: readonly TFieldIssue[];
  disabled?: boolean;
  onPatch: (patch: Partial<TComponentRow>) => void;
  onRename: (id: string) => void;
  onRemove: () => void;
}) {
  const k = `graph.components[${i}]`;
  const uid = useId();
  const err = (key: string, nested = true) => issuesAt(issues, key, nested);
  const cls = (base: string, key: string) => (err(key).length > 0 ? `${base} invalid` : base);
  return (
    <tbody data-testid={`component-${i}`} id={`component-${c.id}`}>
      <tr className="editor-fields">
        <td data-label="Id">
          <input
            className={cls('input mono', `${k}.id`)}
            aria-label={`Component ${i + 1} id`}
            data-testid={`component-${i}-id`}
            value={c.id}
            placeholder="web-asg"
            disabled={disabled}
            onChange={(e) => onRename(e.target.value)}
          />
          <FieldErrors messages={err(`${k}.id`)} testId={`error-${k}.id`} />
        </td>
        <td data-label="Kind">
          <select
            className={cls('select', `${k}.kind`)}
            aria-label={`Component ${i + 1} kind`}
            data-testid={`component-${i}-kind`}
            value={c.kind}
            disabled={disabled}
            onChange={(e) => onPatch({ kind: e.target.value })}
          >
            {COMPONENT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
          <FieldErrors messages={err(`${k}.kind`)} testId={`error-${k}.kind`} />
        </td>
        <td data-label="Name">
          <input
            className={cls('input', `${k}.name`)}
            aria-label={`Component ${i + 1} name`}
            data-testid={`component-${i}-name`}
            value={c.name}
            placeholder="prod-shop-web-euw1"
            disabled={disabled}
            onChange={(e) => onPatch({ name: e.target.value })}
          />
          <FieldErrors messages={err(`${k}.name`)} testId={`error-${k}.name`} />
        </td>
        <td data-label="Cloud">
          <select
            className={cls('select', `${k}.cloud`)}
            aria-label={`Component ${i + 1} cloud`}
            data-testid={`component-${i}-cloud`}
            value={c.cloud}
            disabled={disabled}
            onChange={(e) => onPatch({ cloud: e.target.value })}
          >
            {CLOUDS.map((cl) => (
              <option key={cl} value={cl}>
                {cl.toUpperCase()}
              </option>
            ))}
          </select>
          <FieldErrors messages={err(`${k}.cloud`)} testId={`error-${k}.cloud`} />
        </td>
        <td data-label="Region">
          <input
            className={cls('input', `${k}.region`)}
            aria-label={`Component ${i + 1} region`}
            data-testid={`component-${i}-region`}
            value={c.region}
            placeholder="eu-west-1"
            disabled={disabled}
            onChange={(e) => onPatch({ region: e.target.value })}
          />
          <FieldErrors messages={err(`${k}.region`)} testId={`error-${k}.region`} />
        </td>
        <td className="editor-actions">
          <button
            type="button"
            className="btn btn-sm btn-ghost btn-danger"
            title="Remove component"
            aria-label={`Remove component ${i + 1}`}
            data-testid={`component-${i}-remove`}
            disabled={disabled}
            onClick={onRemove}
          >
            ✕
          </button>
        </td>
      </tr>
      <tr>
        <td colSpan={6} style={{ borderBottom: '2px solid var(--border)' }}>
          <FieldErrors messages={err(k, false)} testId={`error-${k}`} />
          <div className="grid-2" style={{ gap: 8 }}>
            <div className="field">
              <label htmlFor={`${uid}-props`}>Properties (JSON)</label>
              <textarea
                id={`${uid}-props`}
                className={cls('textarea', `${k}.properties`)}
                data-testid={`component-${i}-properties`}
                rows={Math.min(10, Math.max(3, c.properties.split('\n').length))}
                spellCheck={false}
                value={c.properties}
                disabled={disabled}
                onChange={(e) => onPatch({ properties: e.target.value })}
              />
              <FieldErrors messages={err(`${k}.properties`)} testId={`error-${k}.properties`} />
            </div>
            <div className="field">
              <label htmlFor={`${uid}-tags`}>Tags (JSON, string values)</label>
              <textarea
                id={`${uid}-tags`}
                className={cls('textarea', `${k}.tags`)}
                data-testid={`component-${i}-tags`}
                rows={Math.min(10, Math.max(3, c.tags.split('\n').length))}
                spellCheck={false}
                value={c.tags}
                disabled={disabled}
                onChange={(e) => onPatch({ tags: e.target.value })}
              />
              <FieldErrors messages={err(`${k}.tags`)} testId={`error-${k}.tags`} />
            </div>
          </div>
        </td>
      </tr>
    </tbody>
  );
}
