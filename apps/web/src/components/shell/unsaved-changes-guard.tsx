'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { announceNavigation, internalNavigationTarget } from '../../lib/navigation-events';

type TLeave = { kind: 'link'; href: string } | { kind: 'form'; form: HTMLFormElement };

/**
 * Asks before unsaved edits are lost. Closing or reloading the tab gets the browser's own prompt (`beforeunload`);
 * a link inside the console, or a form marked `data-leaves-page` (sign out), gets a dialog first. Links are caught
 * on `window` in the capture phase, before the App Router's handler sees the click, because the router offers no
 * way to block a navigation.
 */
export function UnsavedChangesGuard({ dirty, what = 'your changes' }: { dirty: boolean; what?: string }) {
  const router = useRouter();
  const [leaving, setLeaving] = useState<TLeave | null>(null);
  const allowed = useRef(false);

  useEffect(() => {
    if (!dirty) return;
    allowed.current = false;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (allowed.current) return;
      event.preventDefault();
      // Older Chromium versions only prompt when returnValue is set.
      event.returnValue = '';
    };
    const onClick = (event: MouseEvent) => {
      if (allowed.current) return;
      const url = internalNavigationTarget(event);
      if (!url) return;
      event.preventDefault();
      event.stopPropagation();
      setLeaving({ kind: 'link', href: url.pathname + url.search + url.hash });
    };
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (allowed.current || !(form instanceof HTMLFormElement) || !form.hasAttribute('data-leaves-page')) return;
      event.preventDefault();
      event.stopPropagation();
      setLeaving({ kind: 'form', form });
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('click', onClick, true);
    window.addEventListener('submit', onSubmit, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('click', onClick, true);
      window.removeEventListener('submit', onSubmit, true);
    };
  }, [dirty]);

  if (!leaving) return null;
  const leave = () => {
    allowed.current = true;
    setLeaving(null);
    if (leaving.kind === 'link') {
      announceNavigation();
      router.push(leaving.href);
    }
    else leaving.form.requestSubmit();
  };
  return (
    <ConfirmDialog title="Leave without saving?" confirmLabel="Leave and discard" danger onCancel={() => setLeaving(null)} onConfirm={leave} testId="leave-dialog">
      <p>You have unsaved edits on this page. If you leave now, {what} will be lost.</p>
    </ConfirmDialog>
  );
}
