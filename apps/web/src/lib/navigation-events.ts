/** Dispatched on `window` when code starts a navigation itself (router.push/replace), so progress can show it. */
export const NAVIGATION_START = 'dharma:navigation-start';

/** For code that navigates with `router.push`/`replace`: shows the same progress as a link click. */
export function announceNavigation() {
  window.dispatchEvent(new Event(NAVIGATION_START));
}

/** The URL a click follows when it is a same-origin link to another page, in this tab; otherwise null. */
export function internalNavigationTarget(event: MouseEvent): URL | null {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const anchor = (event.target as Element | null)?.closest?.('a[href]');
  if (!(anchor instanceof HTMLAnchorElement) || anchor.hasAttribute('download')) return null;
  if (anchor.target && anchor.target !== '_self') return null;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin) return null;
  if (url.pathname === window.location.pathname && url.search === window.location.search) return null;
  return url;
}

/**
 * How many route loading fallbacks (`loading.tsx`) are on screen: while one is, the page the user asked for is still
 * on its way even though its URL has already committed. A module-level store, because a fallback mounts before the
 * progress bar's effects run on a first load.
 */
let fallbacks = 0;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

export const routeFallbacks = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  count: () => fallbacks,
  serverCount: () => 0,
  mounted() {
    fallbacks += 1;
    emit();
  },
  unmounted() {
    fallbacks = Math.max(0, fallbacks - 1);
    emit();
  },
};
