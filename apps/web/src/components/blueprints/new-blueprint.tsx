'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TEMPLATES } from '@dharma/catalog/templates';
import { CLOUDS, ZBlueprintGraph } from '@dharma/db/blueprint-graph';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import type { TRouterInputs } from '../../lib/api-types';
import { checkMeta, focusFirstInvalid, submitFailure, validateBlueprintForm } from '../../lib/blueprint-form';
import type { TFieldIssue } from '../../lib/errors';
import { announceNavigation } from '../../lib/navigation-events';
import { COPY_SOURCES_INPUT } from '../../lib/list-params';
import { emptyGraphForm, graphToForm, issuesAt, type TGraphForm } from '../../lib/graph-form';
import { canCreateBlueprint } from '../../lib/roles';
import { keyedMutation, useTRPC, useTRPCClient } from '../../lib/trpc/client';
import { useDebounced } from '../../lib/use-debounced';
import { useSubmissionKey } from '../../lib/use-submission-key';
import { useSessionUser } from '../shell/session-context';
import { UnsavedChangesGuard } from '../shell/unsaved-changes-guard';
import { Field } from '../ui/field';
import { ErrorState } from '../ui/states';
import { DescriptionField } from './description-field';
import { FormIssues } from './form-issues';
import { GraphEditor } from './graph-editor';

type TCreateInput = TRouterInputs['blueprints']['create'];

export function NewBlueprint() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const router = useRouter();
  const user = useSessionUser();
  const projects = useQuery(trpc.projects.list.queryOptions());
  // The newest live blueprints are offered at once; typing narrows the choice to any blueprint by name.
  const [copySearch, setCopySearch] = useState('');
  const sourceSearch = useDebounced(copySearch.trim());
  const sources = useQuery(
    trpc.blueprints.list.queryOptions(sourceSearch ? { ...COPY_SOURCES_INPUT, search: sourceSearch } : COPY_SOURCES_INPUT, { placeholderData: keepPreviousData }),
  );

  const [projectId, setProjectId] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [cloud, setCloud] = useState<string>('aws');
  const [message, setMessage] = useState('');
  const [start, setStart] = useState<'empty' | 'template' | 'copy'>('empty');
  const [templateKey, setTemplateKey] = useState('');
  const [sourceId, setSourceId] = useState('');
  const [copyError, setCopyError] = useState<unknown>(null);
  const [copying, setCopying] = useState(false);
  const [form, setForm] = useState<TGraphForm>(emptyGraphForm);
  const [issues, setIssues] = useState<TFieldIssue[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState(false);
  const dirty = !created && (projectId !== '' || name !== '' || description !== '' || message !== '' || form.components.length > 0 || form.relations.length > 0);

  const submission = useSubmissionKey();
  useEffect(() => submission.renew(), [submission, projectId, name, description, cloud, message, form]);

  const create = useMutation({
    ...trpc.blueprints.create.mutationOptions({
      onSuccess: async ({ id }) => {
        submission.renew();
        setCreated(true);
        await qc.invalidateQueries({ queryKey: trpc.blueprints.pathKey() });
        announceNavigation();
        router.push(`/blueprints/${id}`);
      },
      onError: (error) => {
        const { message: text, issues: found } = submitFailure(error, 'Create blueprint');
        setIssues(found);
        setFailure(text);
        focusFirstInvalid();
      },
    }),
    mutationFn: (input: TCreateInput) => client.blueprints.create.mutate(input, keyedMutation(submission.take())),
  });

  const chooseProject = (id: string) => {
    setProjectId(id);
    const primary = projects.data?.find((p) => p.id === id)?.primaryCloud;
    if (primary && primary !== 'multi') setCloud(primary);
  };

  const copyFrom = async (id: string) => {
    setSourceId(id);
    setCopyError(null);
    if (!id) return setForm(emptyGraphForm());
    setCopying(true);
    try {
      const source = await qc.fetchQuery(trpc.blueprints.byId.queryOptions({ id }));
      setForm(graphToForm(source.graph));
      setCloud(source.cloud);
    } catch (error) {
      setCopyError(error);
    } finally {
      setCopying(false);
    }
  };

  const fromTemplate = (key: string) => {
    setTemplateKey(key);
    const template = TEMPLATES.find((t) => t.key === key);
    if (!template) return setForm(emptyGraphForm());
    setForm(graphToForm(ZBlueprintGraph.parse(template.graph)));
    setCloud(template.cloud);
    if (!description) setDescription(template.description);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const meta = checkMeta({ name, description, message }, { messageRequired: false });
    if (!projectId) meta.unshift({ field: 'projectId', message: 'choose a project' });
    const graph = validateBlueprintForm(meta, form, setIssues);
    if (!graph) return;
    create.mutate({
      projectId,
      name: name.trim(),
      description: description.trim(),
      cloud: cloud as (typeof CLOUDS)[number],
      graph,
      ...(message.trim() ? { message: message.trim() } : {}),
    });
  };

  if (!canCreateBlueprint(user.permissions)) {
    return <div className="alert alert-warning" data-testid="no-create-permission">Your roles ({user.roles.join(', ')}) do not allow creating blueprints.</div>;
  }
  const err = (k: string) => issuesAt(issues, k);
  const invalid = (base: string, k: string) => (err(k).length ? `${base} invalid` : base);

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="new-form">
      <UnsavedChangesGuard dirty={dirty} what="this new blueprint" />
      <div className="muted small">
        <Link href="/blueprints">Blueprints</Link> / New
      </div>
      <div className="page-header">
        <div>
          <h1>New blueprint</h1>
          <div className="subtitle">Saved as version 1. Every later save creates a new, immutable version.</div>
        </div>
      </div>
      {projects.isError && <ErrorState error={projects.error} title="Could not load projects" />}
      <FormIssues issues={issues} message={failure} />

      <div className="card card-body stack">
        <div className="grid-3">
          <Field label="Project" htmlFor="projectId" errors={err('projectId')}>
            <select id="projectId" className={invalid('select', 'projectId')} value={projectId} onChange={(e) => chooseProject(e.target.value)} data-testid="project">
              <option value="">— choose a project —</option>
              {(projects.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name" htmlFor="name" errors={err('name')} hint="Unique among the project's live blueprints.">
            <input id="name" className={invalid('input', 'name')} value={name} onChange={(e) => setName(e.target.value)} data-testid="name" />
          </Field>
          <Field label="Cloud" htmlFor="cloud" errors={err('cloud')}>
            <select id="cloud" className={invalid('select', 'cloud')} value={cloud} onChange={(e) => setCloud(e.target.value)} data-testid="cloud">
              {CLOUDS.map((c) => (
                <option key={c} value={c}>
                  {c.toUpperCase()}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <DescriptionField value={description} onChange={setDescription} errors={err('description')} />
        <div className="grid-2">
          <Field label="Version message" htmlFor="message" errors={err('message')} hint="Optional; defaults to “Initial version”.">
            <input id="message" className={invalid('input', 'message')} value={message} placeholder="Initial version" onChange={(e) => setMessage(e.target.value)} data-testid="message" />
          </Field>
          <div className="field">
            <span className="label">Start from</span>
            <div className="row">
              <label className="row small" style={{ gap: 4 }}>
                <input type="radio" name="start" checked={start === 'empty'} onChange={() => { setStart('empty'); void copyFrom(''); }} data-testid="start-empty" />
                Empty graph
              </label>
              <label className="row small" style={{ gap: 4 }}>
                <input type="radio" name="start" checked={start === 'template'} onChange={() => setStart('template')} data-testid="start-template" />
                A template
              </label>
              <label className="row small" style={{ gap: 4 }}>
                <input type="radio" name="start" checked={start === 'copy'} onChange={() => setStart('copy')} data-testid="start-copy" />
                Copy one
              </label>
              {start === 'template' && (
                <select className="select" aria-label="Template" value={templateKey} onChange={(e) => fromTemplate(e.target.value)} data-testid="template">
                  <option value="">— choose a template —</option>
                  {TEMPLATES.map((t) => (
                    <option key={t.key} value={t.key} title={t.description}>
                      {t.name} ({t.graph.components.length} components)
                    </option>
                  ))}
                </select>
              )}
              {start === 'copy' && (
                <input
                  type="search"
                  className="input"
                  placeholder="Find by name…"
                  aria-label="Find a blueprint to copy"
                  value={copySearch}
                  onChange={(e) => setCopySearch(e.target.value)}
                  data-testid="copy-search"
                />
              )}
              {start === 'copy' && (
                <select className="select" aria-label="Blueprint to copy" value={sourceId} onChange={(e) => void copyFrom(e.target.value)} disabled={copying} data-testid="copy-source">
                  <option value="">{sources.data && sources.data.items.length === 0 ? '— no blueprint matches —' : '— choose a blueprint —'}</option>
                  {(sources.data?.items ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} (v{s.currentVersion}, {s.componentCount} components)
                    </option>
                  ))}
                </select>
              )}
              {copying && <span className="muted small">Copying…</span>}
            </div>
          </div>
        </div>
        {copyError !== null && <ErrorState error={copyError} title="Could not copy that blueprint" />}
      </div>

      <GraphEditor form={form} onChange={setForm} issues={issues} defaultCloud={cloud} disabled={create.isPending || copying} />

      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={create.isPending || copying} data-testid="create">
          {create.isPending ? 'Creating…' : 'Create blueprint'}
        </button>
        <Link href="/blueprints" className="btn">
          Cancel
        </Link>
      </div>
    </form>
  );
}
