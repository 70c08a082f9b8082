import express from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';
import { jwtVerify } from 'jose';

/**
 * The comparison the benchmark measures us against: how such an API is commonly written upstream. An Express
 * handler that verifies the bearer token, looks the blueprint up in Redis by hand and, on a miss, queries Postgres
 * with `pg` (one pooled query per request, tenant set in a transaction for RLS, as ours does), then caches it.
 * Not product code: it lives in the bench folder only.
 */
const port = Number(process.argv[2] ?? 4298);
const { DATABASE_URL, REDIS_URL, AUTH_SECRET } = process.env as Record<string, string>;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 20 });
const redis = new Redis(REDIS_URL!, { enableAutoPipelining: true });
const key = new TextEncoder().encode(AUTH_SECRET);
const cacheEnabled = process.argv[3] !== 'nocache';

const app = express();
app.get('/blueprints/:id', async (req, res) => {
  try {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const { payload } = await jwtVerify(token, key, { audience: 'dharma-services', issuer: 'iac-dharma' });
    const tenantId = String(payload.tid);
    const cacheKey = `express:${tenantId}:bp:${req.params.id}`;
    if (cacheEnabled) {
      const hit = await redis.get(cacheKey);
      if (hit) {
        res.type('application/json').send(hit);
        return;
      }
    }
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('app.tenant_id', $1, true)", [tenantId]);
      const { rows } = await client.query(
        `select b.id, b.name, b.description, b.cloud, b.status, b.current_version, v.graph, v.graph_hash
           from blueprints b join blueprint_versions v on v.blueprint_id = b.id and v.number = b.current_version
          where b.tenant_id = $1 and b.id = $2`,
        [tenantId, req.params.id],
      );
      await client.query('commit');
      if (!rows[0]) {
        res.status(404).json({ error: 'not found' });
        return;
      }
      const body = JSON.stringify(rows[0]);
      if (cacheEnabled) await redis.set(cacheKey, body, 'EX', 60);
      res.type('application/json').send(body);
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } catch (error) {
    res.status(401).json({ error: String(error) });
  }
});
app.get('/healthz', (_req, res) => void res.json({ ok: true }));
app.listen(port, '127.0.0.1');
