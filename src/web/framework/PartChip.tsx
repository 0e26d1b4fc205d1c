import { useId, useState } from 'react';
import type { Part } from '../../core/framework/model';
import { useT } from '../i18n';
import type { PartyDirectory } from './document';
import { readableJson, summarisePart } from './part-summary';

/**
 * A clause's machine-readable part as a compact chip ("zone · buffer zone · buffer 15 km each side"),
 * which opens to the JSON the system executes. `label` names the alternative the part belongs to.
 */
export function PartChip({ part, parties, label }: { readonly part: Part; readonly parties: PartyDirectory; readonly label?: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const jsonId = useId();
  const facts = summarisePart(part, { words: t.framework.part, locale: t.meta.locale, party: parties.short });
  const summary = facts.join(' · ');
  return (
    <div className="fw-part" data-kind={part.kind} data-alternative={label}>
      <button
        type="button"
        className="fw-part-chip"
        aria-expanded={open}
        aria-controls={jsonId}
        aria-label={
          open ? t.framework.part.hide : t.framework.part.show(label ? `${t.framework.part.ofAlternative(label)}: ${summary}` : summary)
        }
        onClick={() => setOpen((v) => !v)}
      >
        <svg className="fw-part-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
          <path
            d="M5.5 4 2 8l3.5 4M10.5 4 14 8l-3.5 4"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        {label && <span className="fw-part-alt">{label}</span>} <span className="fw-part-kind">{facts[0]}</span>
        {facts.slice(1).map((fact, i) => (
          <span className="fw-part-fact" key={i}>
            <span className="fw-part-sep"> · </span>
            {fact}
          </span>
        ))}{' '}
        <span className="fw-part-id">#{part.id}</span>
      </button>
      <pre id={jsonId} className="fw-part-json" hidden={!open} tabIndex={open ? 0 : -1}>
        {open ? readableJson(part) : null}
      </pre>
    </div>
  );
}
