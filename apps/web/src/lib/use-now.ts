'use client';

import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`: render stays pure and relative times ("3 min ago") still move. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
