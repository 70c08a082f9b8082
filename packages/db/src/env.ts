import { z } from 'zod';

/** Parses env with a schema; a bad value stops the process with a message naming the variable. */
export function parseEnv<T extends z.ZodRawShape>(shape: T, source: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const ZPostgresUrl = z
  .string({ error: 'is required (a postgres:// URL)' })
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

export const dbEnvShape = {
  DATABASE_URL: ZPostgresUrl,
  DB_POOL_MAX: z.coerce.number({ error: 'must be a number' }).int().min(1).max(500).default(10),
};

export const ownerEnvShape = {
  DATABASE_OWNER_URL: ZPostgresUrl,
};
