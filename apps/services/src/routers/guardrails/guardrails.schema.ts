import { z } from 'zod';
import { COMPONENT_KINDS, ZText } from '@dharma/db/blueprint-graph';
import { ENFORCEMENTS, SEVERITIES } from '@dharma/guardrails/policy';

const ZId = z.uuid({ error: 'must be a uuid' });

export const ZPolicyInput = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, { error: 'must be 2-63 characters: a-z, 0-9 and -, starting with a letter' }),
  name: ZText().trim().min(1, { error: 'must not be empty' }).max(120, { error: 'must be at most 120 characters' }),
  description: ZText().max(1000, { error: 'must be at most 1000 characters' }).default(''),
  severity: z.enum(SEVERITIES, { error: `must be one of: ${SEVERITIES.join(', ')}` }),
  enforcement: z.enum(ENFORCEMENTS, { error: `must be one of: ${ENFORCEMENTS.join(', ')}` }),
  target: z.enum(['component', 'blueprint'], { error: 'must be component or blueprint' }).default('component'),
  kinds: z.array(z.enum(COMPONENT_KINDS, { error: `must be component kinds: ${COMPONENT_KINDS.join(', ')}` })).max(COMPONENT_KINDS.length).default([]),
  when: ZText().trim().max(2000, { error: 'must be at most 2000 characters' }).nullable().default(null).transform((w) => (w === '' ? null : w)),
  expression: ZText().trim().min(1, { error: 'must not be empty' }).max(4000, { error: 'must be at most 4000 characters' }),
  message: ZText().trim().min(1, { error: 'must not be empty' }).max(300, { error: 'must be at most 300 characters' }),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
});

export const ZPolicy = ZPolicyInput.extend({ kinds: z.array(z.string()), when: z.string().nullable(), source: z.enum(['default', 'modified', 'custom']) });

export const ZFinding = z.object({
  policyKey: z.string(),
  policyName: z.string(),
  severity: z.enum(SEVERITIES),
  enforcement: z.enum(ENFORCEMENTS),
  componentId: z.string().nullable(),
  message: z.string(),
  exemptedBy: z.object({ id: z.string(), kind: z.enum(['waiver', 'override']), reason: z.string() }).nullable(),
  error: z.string().optional(),
});
export const ZEvaluation = z.object({ version: z.number(), findings: z.array(ZFinding), score: z.number(), passed: z.boolean(), blocking: z.number(), checks: z.number() });

export const ZExemption = z.object({
  id: z.string(),
  policyKey: z.string(),
  kind: z.enum(['waiver', 'override']),
  reason: z.string(),
  requestedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  status: z.enum(['pending', 'active', 'expired', 'revoked']),
});

export const ZReason = ZText().trim().min(10, { error: 'must say why, in at least 10 characters' }).max(1000, { error: 'must be at most 1000 characters' });
export const ZExemptionIdInput = z.object({ exemptionId: ZId });
export const ZWaiverInput = z.object({
  id: ZId,
  policyKey: z.string().min(1, { error: 'must name a policy' }).max(63),
  reason: ZReason,
  expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time with a zone' }),
});
export const ZOverrideInput = z.object({ id: ZId, policyKey: z.string().min(1, { error: 'must name a policy' }).max(63), reason: ZReason });
