import { useEffect, useState } from 'react';

/*
 * Countdowns to rung deadlines. The deadline is an instant the server computed (calendar addition
 * plus constitutional delays); the browser only subtracts its own clock from it, every second.
 */

/** "2 d 03:04:05", "03:04:05"; the sign is told apart by the caller (left / overdue). */
export function formatCountdown(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${days > 0 ? `${days} d ` : ''}${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** How urgent a deadline is, for its colour: overdue, under an hour, under six hours, or later. */
export function urgency(ms: number): 'overdue' | 'urgent' | 'soon' | 'later' {
  if (ms <= 0) return 'overdue';
  if (ms < 3_600_000) return 'urgent';
  if (ms < 6 * 3_600_000) return 'soon';
  return 'later';
}

/** The current time, re-rendering every `everyMs` (one timer per component that shows a countdown). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
