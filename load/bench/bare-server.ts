import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The ceiling: a bare node:http server answering 90 bytes of JSON, as in STACK.md's measurements; or, given a
 * file, answering that file's bytes (the same body as the read being compared, so payload size is factored out).
 */
const body = process.argv[3]
  ? readFileSync(process.argv[3], 'utf8')
  : JSON.stringify({ ok: true, id: '00000000-0000-4000-8000-000000000000', name: 'bare', padding: 'x'.repeat(16) });
const port = Number(process.argv[2] ?? 4299);
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`bare: listening on ${port}`));
