import { z } from 'zod';

export const authEnvShape = {
  AUTH_SECRET: z.string({ error: 'is required (at least 32 random characters)' }).min(32, 'must be at least 32 characters'),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number({ error: 'must be a number' }).int().min(60).max(86400 * 30).default(3600),
};
