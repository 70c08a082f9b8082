'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { TBlueprintDetail } from '../../lib/api-types';
import { checkMeta, focusFirstInvalid, validateBlueprintForm } from '../../lib/blueprint-form';
import { isMissing, toApiError, type TFieldIssue } from '../../lib/errors';
import { graphToForm, issuesAt, type TGraphForm } from '../../lib/graph-form';
import { canEditBlueprint } from '../../lib/roles';
import { useTRPC } from '../../lib/trpc/client';
import { useSessionUser } from '../shell/session-context';
import { Field } from '../ui/field';
import { ErrorState, NotFoundState, SkeletonBlock } from '../ui/states';
import { BlueprintHeader } from './blueprint-header';
import { DescriptionField } from './description-field';
import { FormIssues } from './form-issues';
import { GraphEditor } from './graph-editor';

export function EditBlueprint({ id }: { id: string }) {
  const trpc = useTRPC();
  const user = useSessionUser();
  const bp = useQuery(trpc.blueprints.byId.queryOptions({ id }));

  if (bp.isPending) return <div className="card card-body"><SkeletonBlock lines={8} /></div>;
  if (bp.isError) {
    if (isMissing(bp.error)) return <NotFoundState />;
    return <ErrorState error={bp.error} title="Could not load the blueprint" />;
  }
  const b = bp.data;
  if (b.archivedAt) {
    return (
      <div className="stack">
        <BlueprintHeader blueprint={b} crumb="Edit" />
        <div className="alert alert-warning">Archived blueprints cannot be edited. Restore it first.</div>
      </div>
    );
  }
  if (!canEditBlueprint(user.roles, user.id, b.createdBy)) {
    return (
      <div className="stack">
        <BlueprintHeader blueprint={b} crumb="Edit" />
        <div className="alert alert-warning" data-testid="no-edit-permission">Your roles do not allow editing this blueprint.</div>
      </div>
    );
  }
  // A new current version (after "reload") starts a fresh form on top of it.
  return <EditForm key={`${b.id}:${b.currentVersion}`} blueprint={b} onReload={() => void bp.refetch()} reloading={bp.isFetching} />;
}

function EditForm({ blueprint: b, onReload, reloading }: { blueprint: TBlueprintDetail; onReload: () => void; reloading: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState(b.name);
  const [description, setDescription] = useState(b.description);
  const [message, setMessage] = useState('');
  const [form, setForm] = useState<TGraphForm>(() => graphToForm(b.graph));
  const [issues, setIssues] = useState<TFieldIssue[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);

  const save = useMutation(
    trpc.blueprints.saveVersion.mutationOptions({
      onSuccess: async ({ version }) => {
        await qc.invalidateQueries({ queryKey: trpc.blueprints.pathKey() });
        router.push(`/blueprints/${b.id}?tab=versions&saved=${version}`);
      },
      onError: (error) => {
        const e = toApiError(error);
        if (e.code === 'CONFLICT' && e.issues.some((i) => i.field === 'baseVersion')) {
          setConflict(/version (\d+)/.exec(e.message)?.[1] ?? 'a newer version');
          return;
        }
        setIssues(e.issues);
        setFailure(e.message);
        focusFirstInvalid();
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const meta = checkMeta({ name, description, message }, { messageRequired: true });
    const graph = validateBlueprintForm(meta, form, setIssues);
    if (!graph) return;
    save.mutate({
      id: b.id,
      baseVersion: b.currentVersion,
      graph,
      message: message.trim(),
      ...(name.trim() !== b.name ? { name: name.trim() } : {}),
      ...(description.trim() !== b.description ? { description: description.trim() } : {}),
    });
  };

  const err = (k: string) => issuesAt(issues, k);
  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="edit-form">
      <BlueprintHeader blueprint={b} crumb="Edit" />
      {conflict && (
        <div className="alert alert-warning row" role="alert" data-testid="conflict">
          <span>
            <strong>Someone saved version {conflict} meanwhile — reload.</strong> You started from v{b.currentVersion}. Reloading discards your edits here.
          </span>
          <span className="spacer" />
          <button type="button" className="btn btn-sm" onClick={onReload} disabled={reloading} data-testid="conflict-reload">
            {reloading ? 'Reloading…' : 'Reload'}
          </button>
        </div>
      )}
      <FormIssues issues={issues} message={failure} />

      <div className="card card-body">
        <div className="grid-2">
          <Field label="Name" htmlFor="name" errors={err('name')}>
            <input id="name" className={err('name').length ? 'input invalid' : 'input'} value={name} onChange={(e) => setName(e.target.value)} data-testid="name" />
          </Field>
          <Field label="Change message" htmlFor="message" errors={err('message')} hint={`Saved as version ${b.currentVersion + 1}, on top of v${b.currentVersion}.`}>
            <input
              id="message"
              className={err('message').length ? 'input invalid' : 'input'}
              value={message}
              placeholder="What changed, and why"
              onChange={(e) => setMessage(e.target.value)}
              data-testid="message"
            />
          </Field>
        </div>
        <div style={{ marginTop: 12 }}>
          <DescriptionField value={description} onChange={setDescription} errors={err('description')} />
        </div>
      </div>

      <GraphEditor form={form} onChange={setForm} issues={issues} defaultCloud={b.cloud} disabled={save.isPending} />

      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || Boolean(conflict)} data-testid="save">
          {save.isPending ? 'Saving…' : `Save version ${b.currentVersion + 1}`}
        </button>
        <Link href={`/blueprints/${b.id}`} className="btn" data-testid="cancel">
          Cancel
        </Link>
      </div>
    </form>
  );
}
