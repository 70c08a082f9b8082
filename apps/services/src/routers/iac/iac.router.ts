import { z } from 'zod';
import { validateGraph } from '@dharma/catalog/validate';
import { DomainError } from '@dharma/db/errors';
import { CloudFormationUnsupported } from '@dharma/iac/cloudformation/generate';
import { FORMATS, generate } from '@dharma/iac/generate';
import { readVersion } from '../../domain/blueprints/read-version';
import { cachedQuery, cachedRead, type TReadCtx } from '../../trpc/cached-read';
import { router } from '../../trpc/procedures';
import { ZVersionInput } from '../blueprints/blueprints.schema';

const ZFinding = z.object({ code: z.string(), severity: z.enum(['error', 'warning']), componentId: z.string().nullable(), field: z.string().nullable(), message: z.string(), hint: z.string() });
const ZValidation = z.object({ findings: z.array(ZFinding), errors: z.number(), warnings: z.number() });
const ZGenerateInput = ZVersionInput.extend({ format: z.enum(FORMATS, { error: `must be one of: ${FORMATS.join(', ')}` }) });
const ZGeneration = z.object({
  format: z.enum(FORMATS),
  blueprint: z.string(),
  version: z.number(),
  graphHash: z.string(),
  files: z.array(z.object({ path: z.string(), content: z.string() })),
  warnings: z.number(),
});

/** Tags of what a validation depends on besides the immutable version: the tenant's design rules. */
export const iacTags = { rules: 'iac:rules' };

/**
 * Reads derived from an immutable version (so cached for an hour; the tenant's rules by tag): its validation against
 * the catalog and the tenant's rules, and its generated code, which the same version always gives byte for byte.
 */
export const iacReads = {
  validate: cachedRead({ resource: 'blueprint', action: 'read', input: ZVersionInput, output: ZValidation, tags: () => [iacTags.rules], ttlSeconds: 3600 }),
  generate: cachedRead({ resource: 'iac', action: 'read', input: ZGenerateInput, output: ZGeneration, tags: () => [iacTags.rules], ttlSeconds: 3600 }),
};

async function versionWithRules(ctx: TReadCtx, input: z.output<typeof ZVersionInput>) {
  const { version, name, rules } = await readVersion(ctx, input);
  return { version, name, validation: validateGraph(version.graph, rules) };
}

export const iacRouter = router({
  validate: cachedQuery(iacReads.validate, async (ctx, input) => (await versionWithRules(ctx, input)).validation),

  /** The version as code in one format; refused, naming the first problem, while the version has validation errors. */
  generate: cachedQuery(iacReads.generate, async (ctx, input) => {
    const { version, name, validation } = await versionWithRules(ctx, input);
    if (validation.errors > 0) {
      const first = validation.findings.find((f) => f.severity === 'error')!;
      throw new DomainError('PRECONDITION_FAILED', `version ${input.number} has ${validation.errors} validation error(s); fix them before generating. First: ${first.componentId ?? 'blueprint'} ${first.field ?? ''}: ${first.message}`, 'number');
    }
    let files;
    try {
      files = generate(version.graph, input.format, { blueprint: name, version: input.number });
    } catch (error) {
      if (error instanceof CloudFormationUnsupported) throw new DomainError('BAD_REQUEST', error.message, 'format');
      throw error;
    }
    return { format: input.format, blueprint: name, version: input.number, graphHash: version.graphHash, files, warnings: validation.warnings };
  }),
});
