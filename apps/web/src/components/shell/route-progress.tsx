'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { internalNavigationTarget, NAVIGATION_START, routeFallbacks } from '../../lib/navigation-events';

/** A navigation that never lands (a link to where the user already is after all) must not leave the bar running. */
const GIVE_UP_MS = 20_000;

/**
 * A thin bar at the top of the window from the moment a link inside the console is followed until the new page is
 * on screen: while the App Router still shows the old page (fetching the next), and while the next page's loading
 * skeleton stands in for it. Without it a slow server looks like a click that did nothing.
 */
export function RouteProgress() {
  const location = `${usePathname()}?${useSearchParams().toString()}`;
  const [clicked, setClicked] = useState(false);
  const [seen, setSeen] = useState(location);
  if (seen !== location) {
    setSeen(location);
    setClicked(false);
  }
  const skeletons = useSyncExternalStore(routeFallbacks.subscribe, routeFallbacks.count, routeFallbacks.serverCount);
  const busy = clicked || skeletons > 0;
  const [state, setState] = useState<'idle' | 'loading' | 'done'>('idle');
  if (busy && state !== 'loading') setState('loading');
  if (!busy && state === 'loading') setState('done');

  useEffect(() => {
    const start = () => setClicked(true);
    // Bubble phase: a click the unsaved-changes guard stopped (in the capture phase) never reaches this.
    const onClick = (event: MouseEvent) => {
      if (internalNavigationTarget(event)) start();
    };
    window.addEventListener('click', onClick);
    window.addEventListener(NAVIGATION_START, start);
    return () => {
      window.removeEventListener('click', onClick);
      window.removeEventListener(NAVIGATION_START, start);
    };
  }, []);

  useEffect(() => {
    if (!clicked) return;
    const t = setTimeout(() => setClicked(false), GIVE_UP_MS);
    return () => clearTimeout(t);
  }, [clicked]);

  useEffect(() => {
    if (state !== 'done') return;
    const t = setTimeout(() => setState('idle'), 400);
    return () => clearTimeout(t);
  }, [state]);

  return <div className={`route-progress ${state}`} role="progressbar" aria-label="Loading the next page" aria-hidden={state === 'idle'} data-testid="route-progress" data-state={state} />;
}

/** Rendered by `loading.tsx`: keeps the progress bar running while the skeleton stands in for the page. */
export function PendingRoute() {
  useEffect(() => {
    routeFallbacks.mounted();
    return () => routeFallbacks.unmounted();
  }, []);
  return null;
}
