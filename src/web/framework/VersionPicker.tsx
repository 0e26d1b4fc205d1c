import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { FrameworkOverview } from '../api';
import { formatInstant, shortHash, utcTitle } from '../format';
import { useT } from '../i18n';
import { formatDay } from './dates';

interface VersionPickerProps {
  readonly overview: FrameworkOverview;
  /** The version shown. */
  readonly shown: number;
  readonly onChoose: (n: number) => void;
}

/**
 * Which version to read: every recorded version, newest first, with its note, when and by whom it was
 * recorded and its hash; the current one and the one in force are marked.
 */
export function VersionPicker({ overview, shown, onChoose }: VersionPickerProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const current = overview.signOff.currentVersion;
  const inForce = overview.inForce;
  const versions = [...overview.versions].reverse();
  const shownVersion = overview.versions.find((v) => v.number === shown);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLButtonElement>('[aria-current="true"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(panelRef.current?.querySelectorAll<HTMLButtonElement>('.fw-version-option') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => buttons[Math.max(0, Math.min(buttons.length - 1, i))]?.focus();
    if (event.key === 'Escape') close(true);
    else if (event.key === 'ArrowDown') go(index + 1);
    else if (event.key === 'ArrowUp') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(buttons.length - 1);
    else return;
    event.preventDefault();
  };

  return (
    <div className="fw-version-picker">
      <button
        ref={buttonRef}
        type="button"
        className="button fw-version-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-haspopup="true"
        onClick={() => setOpen((v) => !v)}
      >
        <span className="fw-version-button-label">{t.framework.versions.label}</span>
        <span className="fw-version-button-number">{shown}</span>
        {shown === current && <span className="fw-tag fw-tag-current">{t.framework.versions.current}</span>}
        {inForce?.number === shown && <span className="fw-tag fw-tag-force">{t.framework.versions.inForce}</span>}
        {shownVersion?.note && <span className="fw-version-button-note">{shownVersion.note}</span>}
        <svg className="fw-caret" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" focusable="false">
          <path d="M2.5 4.5 6 8l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <div
        ref={panelRef}
        id={panelId}
        className="fw-popover"
        hidden={!open}
        role="group"
        aria-label={t.framework.versions.listLabel}
        onKeyDown={onKeyDown}
        onBlur={(event) => {
          // Tabbing out of the list closes it, as clicking outside does.
          const next = event.relatedTarget as Node | null;
          if (next && !panelRef.current?.contains(next) && !buttonRef.current?.contains(next)) setOpen(false);
        }}
      >
        <ul className="fw-version-list">
          {versions.map((v) => (
            <li key={v.number}>
              <button
                type="button"
                className="fw-version-option"
                aria-current={v.number === shown}
                data-version={v.number}
                onClick={() => {
                  onChoose(v.number);
                  close(true);
                }}
              >
                <span className="fw-version-line">
                  <strong>{t.framework.versions.name(v.number)}</strong>
                  {v.number === current && <span className="fw-tag fw-tag-current">{t.framework.versions.current}</span>}
                  {inForce?.number === v.number && (
                    <span className="fw-tag fw-tag-force" title={utcTitle(inForce.since)}>
                      {t.framework.versions.inForceSince(formatDay(inForce.since, t.meta.locale))}
                    </span>
                  )}
                </span>
                {v.note && <span className="fw-version-note">{v.note}</span>}
                <span className="fw-version-meta">
                  <span title={utcTitle(v.recordedAt)}>
                    {t.framework.versions.recorded(formatInstant(v.recordedAt, t.meta.locale), v.recordedBy)}
                  </span>
                  <code title={v.hash}>{shortHash(v.hash)}</code>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
