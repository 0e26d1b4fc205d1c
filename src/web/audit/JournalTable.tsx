import { Fragment, useState } from 'react';
import type { JournalEvent } from '../api';
import { formatInstant, shortHash, utcTitle } from '../format';
import { useT } from '../i18n';
import { partyName, useSession } from '../session';
import { useTreeT } from './messages';

interface Props {
  readonly events: readonly JournalEvent[];
  /** Positions that just arrived live; their rows are briefly highlighted. */
  readonly fresh: ReadonlySet<number>;
  /** The first position the chain check rejected, if any: its row is marked. */
  readonly faultAt?: number | undefined;
  /** Asks the tree-log part to prove this event is in the signed tree. */
  readonly onCheckInclusion?: (position: number) => void;
}

const COLUMNS = 8;

/** A stream name that wraps only after its slashes (`report-intake/` `mechanism`), never mid-word. */
function StreamName({ name }: { readonly name: string }) {
  const parts = name.split('/');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          <span className="nowrap">
            {part}
            {i < parts.length - 1 && '/'}
          </span>
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}

export function JournalTable({ events, fresh, faultAt, onCheckInclusion }: Props) {
  const t = useT();
  const tt = useTreeT();
  const { parties } = useSession();
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const locale = t.meta.locale;
  const c = t.audit.columns;

  const toggle = (position: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(position)) next.add(position);
      return next;
    });

  return (
    <div className="table-scroll" role="region" aria-label={t.audit.tableLabel} tabIndex={0}>
      <table className="journal-table">
        <thead>
          <tr>
            <th scope="col">{c.position}</th>
            <th scope="col">{c.recordedAt}</th>
            <th scope="col">{c.type}</th>
            <th scope="col">{c.stream}</th>
            <th scope="col">{c.actor}</th>
            <th scope="col">{c.party}</th>
            <th scope="col">{c.visibility}</th>
            <th scope="col">{c.hash}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const open = expanded.has(event.position);
            const detailsId = `event-${event.position}-details`;
            return (
              <Fragment key={event.position}>
                <tr
                  data-position={event.position}
                  className={
                    [fresh.has(event.position) && 'row-new', open && 'row-open', event.position === faultAt && 'row-fault']
                      .filter(Boolean)
                      .join(' ') || undefined
                  }
                >
                  <td className="cell-position">
                    <button
                      type="button"
                      className="disclosure"
                      aria-expanded={open}
                      aria-controls={open ? detailsId : undefined}
                      aria-label={open ? t.audit.collapse(event.position) : t.audit.expand(event.position)}
                      onClick={() => toggle(event.position)}
                    >
                      <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" focusable="false">
                        <path
                          d="M4 2.5L7.5 6 4 9.5"
                          fill="none"
                          stroke="currentColor"
                          strokeWidth="1.6"
                          strokeLinecap="round"
                          strokeLinejoin="round"
                        />
                      </svg>
                      <span>{event.position}</span>
                    </button>
                    {event.position === faultAt && <span className="fault-mark">{t.audit.broken}</span>}
                  </td>
                  <td className="cell-time" title={utcTitle(event.recordedAt)}>
                    {formatInstant(event.recordedAt, locale)}
                  </td>
                  <td>
                    <code className="event-type">{event.type}</code>
                  </td>
                  <td className="cell-stream">
                    <StreamName name={event.stream} />
                  </td>
                  <td className="cell-actor">{event.actor}</td>
                  <td className="cell-party">{partyName(parties, event.party) ?? t.audit.none}</td>
                  <td>
                    <span className="labels">
                      {event.visibility.map((v) => (
                        <span key={v} className={`chip chip-visibility chip-${v.split(':')[0]}`}>
                          {v}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>
                    <code className="hash" title={event.hash}>
                      {shortHash(event.hash, 8)}
                    </code>
                  </td>
                </tr>
                {open && (
                  <tr className="row-details" id={detailsId}>
                    <td colSpan={COLUMNS}>
                      <div className="event-details">
                        <div className="event-facts">
                          <dl>
                            <dt>{t.audit.fullHash}</dt>
                            <dd>
                              <code>{event.hash}</code>
                            </dd>
                            <dt>{t.audit.prevHash}</dt>
                            <dd>
                              <code>{event.prevHash}</code>
                            </dd>
                            <dt>{t.audit.streamVersion}</dt>
                            <dd>{event.streamVersion}</dd>
                            <dt>{t.audit.idempotencyKey}</dt>
                            <dd>{event.idempotencyKey ? <code>{event.idempotencyKey}</code> : t.audit.none}</dd>
                          </dl>
                          {onCheckInclusion && (
                            <button type="button" className="button button-small" onClick={() => onCheckInclusion(event.position)}>
                              {tt.inclusion.checkThis}
                            </button>
                          )}
                        </div>
                        <div className="event-payload">
                          <h3>{t.audit.payload}</h3>
                          <pre tabIndex={0}>{JSON.stringify(event.payload, null, 2)}</pre>
                        </div>
                      </div>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
