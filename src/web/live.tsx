import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { JournalEvent } from './api';

/*
 * The live stream: one EventSource for the whole app, fanned out to the pages that listen.
 * While the browser reconnects by itself it resumes with Last-Event-ID, so nothing is missed. When
 * the connection has to be rebuilt from scratch (the server refused it, or it went silent past the
 * heartbeats) the resume point is lost: the `epoch` then changes, and pages reload what they show.
 */

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';
type JournalListener = (event: JournalEvent) => void;

interface LiveContextValue {
  readonly state: ConnectionState;
  /** Changes whenever events may have been missed; pages reload their data when it does. */
  readonly epoch: number;
  readonly subscribe: (listener: JournalListener) => () => void;
}

const LiveContext = createContext<LiveContextValue | null>(null);

/** Heartbeats come every 15 s: silence for three of them means the connection is dead even if the socket is not. */
const SILENCE_LIMIT_MS = 45_000;
const REOPEN_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;
/** Failed attempts in a row after which "reconnecting" becomes "offline". */
const OFFLINE_AFTER_FAILURES = 3;

export function LiveProvider({
  enabled,
  url = '/api/v1/stream',
  children,
}: {
  readonly enabled: boolean;
  readonly url?: string;
  readonly children: ReactNode;
}) {
  const [state, setState] = useState<ConnectionState>('connecting');
  const [epoch, setEpoch] = useState(0);
  const listeners = useRef(new Set<JournalListener>());

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let lastHeard = Date.now();
    let rebuilt = false;

    const markTrouble = () => setState(!navigator.onLine || failures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting');

    const open = () => {
      source?.close();
      const current = new EventSource(url);
      source = current;
      current.onopen = () => {
        failures = 0;
        lastHeard = Date.now();
        setState('connected');
        if (rebuilt) setEpoch((n) => n + 1);
        rebuilt = false;
      };
      current.addEventListener('journal', (message: MessageEvent<string>) => {
        lastHeard = Date.now();
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        const parsed = JournalEvent.safeParse(data);
        if (!parsed.success) return;
        for (const listener of listeners.current) listener(parsed.data);
      });
      current.addEventListener('heartbeat', () => {
        lastHeard = Date.now();
      });
      current.onmessage = () => {
        lastHeard = Date.now();
      };
      current.onerror = () => {
        if (source !== current) return;
        failures += 1;
        markTrouble();
        // CONNECTING: the browser retries by itself and resumes with Last-Event-ID. CLOSED: it gave up.
        if (current.readyState === EventSource.CLOSED) scheduleRebuild();
      };
    };

    const scheduleRebuild = () => {
      clearTimeout(reopenTimer);
      const delay = REOPEN_DELAYS_MS[Math.min(failures, REOPEN_DELAYS_MS.length - 1)];
      reopenTimer = setTimeout(rebuild, delay);
    };

    const rebuild = () => {
      rebuilt = true;
      open();
    };

    const watchdog = setInterval(() => {
      if (source?.readyState === EventSource.OPEN && Date.now() - lastHeard > SILENCE_LIMIT_MS) {
        setState('reconnecting');
        rebuild();
      }
    }, 5_000);

    const onOffline = () => setState('offline');
    const onOnline = () => {
      failures = 0;
      if (source?.readyState !== EventSource.OPEN) {
        setState('reconnecting');
        rebuild();
      } else {
        // The stream survived the outage (the browser kept the socket): it is live again.
        setState('connected');
      }
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);

    setState('connecting');
    open();

    return () => {
      clearInterval(watchdog);
      clearTimeout(reopenTimer);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      source?.close();
      source = null;
    };
  }, [enabled, url]);

  const subscribe = useCallback((listener: JournalListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo<LiveContextValue>(() => ({ state, epoch, subscribe }), [state, epoch, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

function useLive(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error('live hooks need a <LiveProvider> above them');
  return value;
}

export function useConnectionState(): ConnectionState {
  return useLive().state;
}

/** Increments when events may have been missed; use it as a dependency of the effect that loads data. */
export function useLiveEpoch(): number {
  return useLive().epoch;
}

/** Calls `handler` for every journal event the server streams to this reader. */
export function useJournalEvents(handler: JournalListener): void {
  const { subscribe } = useLive();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}
