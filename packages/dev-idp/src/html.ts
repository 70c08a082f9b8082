/** Minimal HTML for the dev IdPs' pages (no templates, no external assets). Every interpolation is escaped. */
import type { ServerResponse } from 'node:http';
import type { DevIdpUser } from './users';

export function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}p.note{color:#6b7280;font-size:.9rem}ul{list-style:none;padding:0}li{margin:.4rem 0}
button.user{width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #d1d5db;border-radius:.4rem;background:#fff;cursor:pointer}
button.user:hover{background:#eef2ff}button.user .email{color:#4b5563}button.user .groups{color:#6b7280;font-size:.85rem}
button.secondary{margin-top:1rem;background:none;border:none;color:#6b7280;text-decoration:underline;cursor:pointer}
.error{color:#b91c1c}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

/** Users ordered for display: the one whose email equals `hint` (case-insensitive) first, the rest as seeded. */
export function orderByHint(users: readonly DevIdpUser[], hint: string | undefined): DevIdpUser[] {
  const h = hint?.trim().toLowerCase();
  const first = users.filter((u) => u.email.toLowerCase() === h);
  return [...first, ...users.filter((u) => u.email.toLowerCase() !== h)];
}

/**
 * The "pick a person" page shared by both IdPs: one form, one submit button per user carrying `email`.
 * Buttons have `data-testid="idp-user-<email>"` for Playwright.
 */
export function userPickerPage(o: {
  heading: string;
  intro: string;
  action: string;
  users: readonly DevIdpUser[];
  hidden?: Record<string, string>;
  cancel?: { name: string; value: string; label: string };
}): string {
  const hidden = Object.entries(o.hidden ?? {})
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const items = o.users
    .map(
      (u) => `<li><button class="user" type="submit" name="email" value="${esc(u.email)}" data-testid="idp-user-${esc(u.email)}">
<strong>${esc(u.name)}</strong> <span class="email">&lt;${esc(u.email)}&gt;</span><br>
<span class="groups">groups: ${esc(u.groups.join(', '))}</span></button></li>`,
    )
    .join('\n');
  const cancel = o.cancel
    ? `<button class="secondary" type="submit" name="${esc(o.cancel.name)}" value="${esc(o.cancel.value)}" data-testid="idp-cancel">${esc(o.cancel.label)}</button>`
    : '';
  return page(
    o.heading,
    `<h1>${esc(o.heading)}</h1>
<p class="note">${esc(o.intro)} Development only: no passwords, pick a person.</p>
<form method="post" action="${esc(o.action)}">${hidden}<ul>
${items}
</ul>${cancel}</form>`,
  );
}

/** A page that POSTs `fields` to `action` as soon as it loads (with a button for browsers without JavaScript). */
export function autoPostPage(o: { title: string; action: string; fields: Record<string, string | undefined>; button: string; testId: string }): string {
  const inputs = Object.entries(o.fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return page(
    o.title,
    `<form id="autopost" method="post" action="${esc(o.action)}">${inputs}
<noscript><p>JavaScript is disabled: press the button to continue.</p></noscript>
<button type="submit" data-testid="${esc(o.testId)}">${esc(o.button)}</button></form>
<script>document.getElementById('autopost').submit();</script>`,
  );
}
