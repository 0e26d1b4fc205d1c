import { label, useT } from '../i18n';

/** A clause's negotiation status: agreed, bracketed (alternatives on the table), open, deleted. */
export function StatusBadge({ status, compact = false }: { readonly status: string; readonly compact?: boolean }) {
  const t = useT();
  return (
    <span className={`fw-status${compact ? ' fw-status-compact' : ''}`} data-status={status}>
      {label(t.framework.statuses, status)}
    </span>
  );
}
