import { createHash, randomBytes } from 'node:crypto';

/**
 * Test helpers that drive the dev IdPs over HTTP as a browser and a relying party would, without a browser: for the
 * tests of the dev IdP itself and of the services' single sign-on.
 */

/** A minimal browser: a cookie jar (name + path) and manual redirects. */
export class Browser {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const a of attrs) {
        const [k = '', v = ''] = a.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      const key = `${name}\n${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  private header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  async get(url: string): Promise<Response> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.header(url) } });
    this.store(res);
    return res;
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.header(url), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    this.store(res);
    return res;
  }
}

/**
 * An ID token from the dev OIDC provider for `email`, as client `clientId` gets it: the authorization code flow with
 * PKCE, the user picked on the IdP's page, the code exchanged at the token endpoint (client_secret_basic).
 */
export async function devIdToken(o: { issuer: string; clientId: string; clientSecret: string; redirectUri: string; email: string }): Promise<string> {
  const d = (await (await fetch(`${o.issuer}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string; token_endpoint: string };
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(d.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: o.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri,
    scope: 'openid email profile groups',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const browser = new Browser();
  const follow = (res: Response, base: string) => new URL(res.headers.get('location') ?? '', base).href;
  let url = follow(await browser.get(auth.href), auth.href);
  const page = await (await browser.get(url)).text();
  const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
  if (!action) throw new Error(`the IdP showed no login form at ${url}`);
  url = follow(await browser.post(new URL(action, url).href, { email: o.email }), url);
  for (let i = 0; i < 5 && !url.startsWith(o.redirectUri); i++) url = follow(await browser.get(url), url);
  const code = new URL(url).searchParams.get('code');
  if (!code) throw new Error(`the IdP did not return a code (${url})`);
  const res = await fetch(d.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: o.redirectUri, code_verifier: verifier }),
  });
  const body = (await res.json()) as { id_token?: string; error?: string };
  if (!body.id_token) throw new Error(`the token endpoint answered ${res.status} ${body.error ?? ''}`);
  return body.id_token;
}
