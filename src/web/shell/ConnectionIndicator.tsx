import { useT } from '../i18n';
import { useConnectionState } from '../live';

const EXPLANATION = {
  connecting: 'explainReconnecting',
  connected: 'explainConnected',
  reconnecting: 'explainReconnecting',
  offline: 'explainOffline',
} as const;

/** The state of the live stream: green when events arrive as they happen, amber while catching up, grey when cut off. */
export function ConnectionIndicator() {
  const t = useT();
  const state = useConnectionState();
  return (
    <div className="connection" data-state={state} role="status" title={t.connection[EXPLANATION[state]]}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="visually-hidden">{t.connection.label}: </span>
      <span className="connection-text">{t.connection[state]}</span>
    </div>
  );
}
