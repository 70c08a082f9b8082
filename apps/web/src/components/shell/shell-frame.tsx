'use client';
import { usePathname } from 'next/navigation';
import { createContext, Suspense, useContext, useEffect, useState, type ReactNode } from 'react';
import { RouteProgress } from './route-progress';

const NavContext = createContext<{ open: boolean; toggle: () => void }>({ open: false, toggle: () => {} });

/**
 * The console's frame: sidebar, top bar, content. Below 1000 px the sidebar is off-canvas, opened by the menu button
 * in the top bar and closed by a navigation, the backdrop or Escape, so the content gets the whole width.
 */
export function ShellFrame({ sidebar, topbar, children }: { sidebar: ReactNode; topbar: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [seen, setSeen] = useState(pathname);
  if (seen !== pathname) {
    setSeen(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <NavContext.Provider value={{ open, toggle: () => setOpen((o) => !o) }}>
      <Suspense>
        <RouteProgress />
      </Suspense>
      <div className={open ? 'shell nav-open' : 'shell'}>
        {sidebar}
        {open && <div className="nav-backdrop" onClick={() => setOpen(false)} data-testid="nav-backdrop" />}
        <div className="main">
          {topbar}
          <main className="content">{children}</main>
        </div>
      </div>
    </NavContext.Provider>
  );
}

/** Whether the off-canvas navigation is open, and how to open or close it. */
export const useNav = () => useContext(NavContext);

/** The top bar's menu button; shown only where the sidebar is off-canvas (see shell.css). */
export function NavToggle() {
  const { open, toggle } = useNav();
  return (
    <button type="button" className="btn btn-ghost nav-toggle" aria-label={open ? 'Close navigation' : 'Open navigation'} aria-expanded={open} aria-controls="main-nav" onClick={toggle} data-testid="nav-toggle">
      <span aria-hidden>☰</span>
    </button>
  );
}
