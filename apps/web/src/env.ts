import 'server-only';
import { z } from 'zod';

const ZBool = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

const ZWebEnv = z.object({
  SERVICES_URL: z
    .url({ error: 'must be an http(s) URL, for example http://127.0.0.1:4000' })
    .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL, for example http://127.0.0.1:4000')
    .transform((v) => v.replace(/\/+$/, ''))
    .default('http://127.0.0.1:4000'),
  AUTH_COOKIE_SECURE: ZBool.default(false),
});

export type TWebEnv = z.infer<typeof ZWebEnv>;

function loadWebEnv(source: NodeJS.ProcessEnv): TWebEnv {
  const parsed = ZWebEnv.safeParse({ SERVICES_URL: source.SERVICES_URL || undefined, AUTH_COOKIE_SECURE: source.AUTH_COOKIE_SECURE || undefined });
  if (!parsed.success) {
    const lines = [...new Set(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))];
    throw new Error(`web: invalid environment: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/** The only place the web app reads process.env. Server-only: the browser never sees these values. */
export const env = loadWebEnv(process.env);
