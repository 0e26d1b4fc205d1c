import { useSyncExternalStore } from 'react';
import { formatInstant, utcTitle } from '../format';
import { label, useT } from '../i18n';
import { useApi, useUser } from '../session';
import { outboxService, useOutbox } from './outbox-service';

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Whether the browser believes it has a network. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

/**
 * Reports written on this device and not yet on the server: how many, which, and why any was refused.
 * Hidden when there are none and the browser is online.
 */
export function OutboxPanel() {
  const t = useT();
  const api = useApi();
  const user = useUser();
  const online = useOnline();
  const { entries, sending, last } = useOutbox(api, user.username);
  const mine = entries.filter((e) => e.owner === user.username);
  const others = entries.filter((e) => e.owner !== user.username);
  const waiting = mine.filter((e) => !e.refused);
  if (mine.length === 0 && others.length === 0 && online) {
    return last && last.sent.length > 0 ? (
      <p className="notice notice-info outbox-done" role="status">
        {t.live.outbox.sent(last.sent.length)}
      </p>
    ) : null;
  }
  return (
    <section className="outbox panel" aria-labelledby="outbox-title" data-waiting={waiting.length}>
      <h2 id="outbox-title">{t.live.outbox.title}</h2>
      {!online && <p className="notice notice-warn">{t.live.outbox.offline}</p>}
      <p className="outbox-count" role="status" aria-live="polite">
        <span className="outbox-badge">{waiting.length}</span> {t.live.outbox.count(waiting.length)}
        {sending && <span className="outbox-sending"> · {t.live.outbox.sending}</span>}
      </p>
      {mine.length > 0 && (
        <ul className="outbox-list">
          {mine.map((e) => (
            <li key={e.key} data-key={e.key} className={e.refused ? 'outbox-refused' : undefined}>
              <strong>{label(t.reportTypes, e.report.type)}</strong>{' '}
              <time dateTime={e.writtenAt} title={utcTitle(e.writtenAt)}>
                {t.live.outbox.written(formatInstant(e.writtenAt, t.meta.locale))}
              </time>
              {e.report.narrative ? <span className="outbox-narrative"> — {e.report.narrative}</span> : null}
              {e.refused && (
                <p className="field-error">
                  {t.live.outbox.refused} {e.refused.detail}
                </p>
              )}
              {e.refused && (
                <button type="button" className="button button-small button-quiet" onClick={() => outboxService.outbox.remove(e.key)}>
                  {t.live.outbox.discard}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && <p className="field-hint">{t.live.outbox.otherUser([...new Set(others.map((e) => e.owner))].join(', '))}</p>}
      {online && waiting.length > 0 && (
        <button type="button" className="button button-small" disabled={sending} onClick={() => void outboxService.flush()}>
          {t.live.outbox.sendNow}
        </button>
      )}
    </section>
  );
}

/** The number of reports waiting on this device, beside the form (where the writer is looking). */
export function OutboxCount() {
  const t = useT();
  const api = useApi();
  const user = useUser();
  const online = useOnline();
  const { entries, sending } = useOutbox(api, user.username);
  const waiting = entries.filter((e) => e.owner === user.username && !e.refused).length;
  if (waiting === 0 && online) return null;
  return (
    <p className="outbox-inline" role="status" aria-live="polite" data-waiting={waiting}>
      <span className="outbox-badge">{waiting}</span> {t.live.outbox.count(waiting)}
      {!online && ` · ${t.connection.offline}`}
      {sending && ` · ${t.live.outbox.sending}`}
    </p>
  );
}
