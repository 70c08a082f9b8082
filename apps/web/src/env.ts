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
  /**
   * Shared with the services: Auth.js encrypts the console session with it, and the console proves itself to the
   * services' internal sign-in procedures with a token signed by it.
   */
  AUTH_SECRET: z.string({ error: 'is required (the same value as the services)' }).min(32, 'must be at least 32 characters'),
});

export type TWebEnv = z.infer<typeof ZWebEnv>;

/**
 * `next build` evaluates route modules to collect their configuration, without serving anything: it needs no secret,
 * and a build machine should not hold one. The server refuses to start without it (instrumentation.ts).
 */
function buildPlaceholder(source: NodeJS.ProcessEnv): string | undefined {
  return source.NEXT_PHASE === 'phase-production-build' ? 'next-build-placeholder-never-used-to-serve-requests' : undefined;
}

function loadWebEnv(source: NodeJS.ProcessEnv): TWebEnv {
  const parsed = ZWebEnv.safeParse({ SERVICES_URL: source.SERVICES_URL || undefined, AUTH_COOKIE_SECURE: source.AUTH_COOKIE_SECURE || undefined, AUTH_SECRET: source.AUTH_SECRET || buildPlaceholder(source) });
  if (!parsed.success) {
    const lines = [...new Set(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))];
    throw new Error(`web: invalid environment: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/** The only place the web app reads process.env. Server-only: the browser never sees these values. */
export const env = loadWebEnv(process.env);
