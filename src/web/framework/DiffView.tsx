import { useEffect, useState, type ReactNode } from 'react';
import type { AlternativeChange, ClauseChange, ClauseLocation, FieldChange, ProseChange, WordRun } from '../../core/framework/diff';
import type { Framework } from '../../core/framework/model';
import { getFrameworkDiff, type ApiProblem, type FrameworkDiff, type FrameworkOverview } from '../api';
import { shortHash } from '../format';
import { useT } from '../i18n';
import { useApi } from '../session';
import { Field } from '../shell/Field';
import { autonym, partyDirectory, titleIn } from './document';
import { StatusBadge } from './StatusBadge';
import { documentOf, type DocumentEntry } from './use-framework';

interface DiffViewProps {
  readonly overview: FrameworkOverview;
  readonly from: number;
  readonly to: number;
  readonly onChange: (from: number, to: number) => void;
  /** The reader's languages, shown first. */
  readonly languages: readonly string[];
  readonly documents: ReadonlyMap<number, DocumentEntry>;
  readonly requestDocument: (n: number) => void;
}

type DiffState =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly problem: ApiProblem }
  | { readonly status: 'ready'; readonly diff: FrameworkDiff };

/**
 * What changed between two versions, clause by clause: added, removed, moved or changed; the prose
 * word by word in every language; status and alternatives; the machine-readable part field by field.
 */
export function DiffView({ overview, from, to, onChange, languages, documents, requestDocument }: DiffViewProps) {
  const t = useT();
  const d = t.framework.diff;
  const api = useApi();
  const [state, setState] = useState<DiffState>({ status: 'loading' });

  useEffect(() => {
    if (from === to) return;
    let cancelled = false;
    setState({ status: 'loading' });
    void getFrameworkDiff(api, from, to).then((result) => {
      if (!cancelled) setState(result.ok ? { status: 'ready', diff: result.value } : { status: 'failed', problem: result.problem });
    });
    return () => {
      cancelled = true;
    };
  }, [api, from, to]);

  useEffect(() => {
    requestDocument(from);
    requestDocument(to);
  }, [from, to, requestDocument]);

  const before = documentOf(documents.get(from))?.document ?? null;
  const after = documentOf(documents.get(to))?.document ?? null;
  const options = [...overview.versions].reverse();
  const optionLabel = (n: number, note: string) => {
    const marks = [
      n === overview.signOff.currentVersion ? t.framework.versions.current : null,
      n === overview.inForce?.number ? t.framework.versions.inForce : null,
    ].filter(Boolean);
    return d.option(n, note) + (marks.length > 0 ? ` (${marks.join(', ')})` : '');
  };

  return (
    <section className="fw-diff" aria-labelledby="fw-diff-title">
      <div className="fw-diff-controls">
        <Field id="fw-diff-from" label={d.from}>
          {(control) => (
            <select {...control} value={from} onChange={(event) => onChange(Number(event.target.value), to)}>
              {options.map((v) => (
                <option key={v.number} value={v.number}>
                  {optionLabel(v.number, v.note)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <span className="fw-diff-arrow" aria-hidden="true">
          →
        </span>
        <Field id="fw-diff-to" label={d.to}>
          {(control) => (
            <select {...control} value={to} onChange={(event) => onChange(from, Number(event.target.value))}>
              {options.map((v) => (
                <option key={v.number} value={v.number}>
                  {optionLabel(v.number, v.note)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <h2 id="fw-diff-title" className="fw-diff-title">
        {d.heading(from, to)}
      </h2>

      {from === to ? (
        <p className="notice notice-info">{d.same}</p>
      ) : state.status === 'loading' ? (
        <p className="loading">{d.loading}</p>
      ) : state.status === 'failed' ? (
        <div className="notice notice-error" role="alert">
          <p>
            {d.failed} {state.problem.code === 'network' ? t.errors.network : state.problem.detail}
          </p>
        </div>
      ) : (
        <DiffBody diff={state.diff} before={before} after={after} languages={languages} />
      )}
    </section>
  );
}

function DiffBody({
  diff,
  before,
  after,
  languages,
}: {
  readonly diff: FrameworkDiff;
  readonly before: Framework | null;
  readonly after: Framework | null;
  readonly languages: readonly string[];
}) {
  const t = useT();
  const d = t.framework.diff;
  const s = diff.summary;
  return (
    <div className="fw-diff-body">
      <p className="fw-diff-hashes">
        <code title={diff.before}>{shortHash(diff.before)}</code> → <code title={diff.after}>{shortHash(diff.after)}</code>
      </p>
      {diff.identical ? (
        <p className="notice notice-info">{d.identical}</p>
      ) : (
        <>
          <ul className="fw-diff-summary" aria-label={d.summaryLabel}>
            {(['changed', 'added', 'removed', 'moved'] as const).map((k) => (
              <li key={k} data-change={k} data-count={s[k]}>
                <strong>{s[k].toLocaleString(t.meta.locale)}</strong> {d.summary[k]}
              </li>
            ))}
          </ul>
          <ol className="fw-changes">
            {diff.clauses.map((c) => (
              <ClauseChangeCard key={`${c.change}-${c.clause}`} change={c} before={before} after={after} languages={languages} />
            ))}
          </ol>
        </>
      )}
      {diff.document.length > 0 && (
        <section className="fw-diff-outside" aria-labelledby="fw-diff-outside-title">
          <h3 id="fw-diff-outside-title">{d.outside}</h3>
          <FieldTable fields={diff.document} />
        </section>
      )}
      {diff.warnings.length > 0 && (
        <section className="notice notice-error fw-diff-warnings" aria-labelledby="fw-diff-warnings-title">
          <h3 id="fw-diff-warnings-title">{d.warnings}</h3>
          <ul>
            {diff.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function ClauseChangeCard({
  change: c,
  before,
  after,
  languages,
}: {
  readonly change: ClauseChange;
  readonly before: Framework | null;
  readonly after: Framework | null;
  readonly languages: readonly string[];
}) {
  const t = useT();
  const d = t.framework.diff;
  // The place is part of the interface: the article's title in the reader's language when the text has it.
  const reader = t.meta.locale.split('-')[0]!;
  const where = (loc: ClauseLocation | null, doc: Framework | null): string => {
    if (!loc) return '';
    const article = doc?.chapters.flatMap((ch) => ch.articles).find((a) => a.id === loc.article);
    const title = article ? titleIn(article.title, reader, [...languages, ...(doc?.process.languages ?? [])]) : loc.article;
    return d.where(loc.articleNumber, title, loc.position);
  };
  const place = c.change === 'removed' ? where(c.before, before) : where(c.after, after);
  const parties = after ? partyDirectory(after) : before ? partyDirectory(before) : null;
  const list = (ids: readonly string[]) => (parties ? parties.list(ids) : ids.map((x) => x.toUpperCase()).join(', '));

  return (
    <li className="fw-change" data-change={c.change} data-clause={c.clause}>
      <header className="fw-change-head">
        <span className="fw-change-kind" data-change={c.change}>
          {d.changes[c.change]}
        </span>
        <strong className="fw-change-place">{place}</strong>
        <code className="fw-change-id">#{c.clause}</code>
        {c.moved && <span className="fw-change-moved">{d.movedFrom(where(c.before, before))}</span>}
      </header>

      {c.status && (
        <p className="fw-change-row">
          <span className="fw-change-label">{d.status}</span>
          <StatusBadge status={c.status.before} /> <span aria-hidden="true">→</span> <StatusBadge status={c.status.after} />
        </p>
      )}
      {c.untranslated && (
        <p className="fw-change-row">
          <span className="fw-change-label">{d.untranslated}</span>
          {c.untranslated.before.map(autonym).join(', ') || d.untranslatedNone} <span aria-hidden="true">→</span>{' '}
          {c.untranslated.after.map(autonym).join(', ') || d.untranslatedNone}
        </p>
      )}
      {c.title.length > 0 && (
        <div className="fw-change-block">
          <p className="fw-change-label">{d.title}</p>
          <ProseChanges changes={c.title} languages={languages} />
        </div>
      )}
      {c.prose.length > 0 && c.change !== 'moved' && <ProseChanges changes={c.prose} languages={languages} />}

      {c.alternatives.length > 0 && (
        <div className="fw-change-block">
          <p className="fw-change-label">{d.alternatives}</p>
          <ul className="fw-alt-changes">
            {c.alternatives.map((a) => (
              <AlternativeChangeItem key={a.id} change={a} languages={languages} list={list} />
            ))}
          </ul>
        </div>
      )}
      {c.part.length > 0 && c.change !== 'removed' && (
        <div className="fw-change-block">
          <p className="fw-change-label">{d.part}</p>
          <FieldTable fields={c.part} />
        </div>
      )}
    </li>
  );
}

function AlternativeChangeItem({
  change: a,
  languages,
  list,
}: {
  readonly change: AlternativeChange;
  readonly languages: readonly string[];
  readonly list: (ids: readonly string[]) => string;
}) {
  const t = useT();
  const d = t.framework.diff;
  const headline =
    a.change === 'added'
      ? d.alternativeAdded(a.label, list(a.proposedBy))
      : a.change === 'withdrawn'
        ? d.alternativeWithdrawn(a.label, list(a.proposedBy))
        : d.alternativeChanged(a.label);
  return (
    <li className="fw-alt-change" data-change={a.change} data-alternative={a.label}>
      <p className="fw-alt-change-head">
        <span className="fw-alt-label">{a.label}</span> {headline} <code>#{a.id}</code>
      </p>
      {a.fields.length > 0 && <FieldTable fields={a.fields} />}
      {a.prose.length > 0 && <ProseChanges changes={a.prose} languages={languages} />}
      {a.part.length > 0 && (
        <>
          <p className="fw-change-label">{d.partOf(a.label)}</p>
          <FieldTable fields={a.part} />
        </>
      )}
    </li>
  );
}

/** Prose changes in the reader's languages first; with two languages chosen, side by side. */
function ProseChanges({ changes, languages }: { readonly changes: readonly ProseChange[]; readonly languages: readonly string[] }) {
  const rank = (l: string) => {
    const i = languages.indexOf(l);
    return i === -1 ? languages.length : i;
  };
  const sorted = [...changes].sort((a, b) => rank(a.language) - rank(b.language) || a.language.localeCompare(b.language));
  return (
    <div className="fw-prose-changes" data-columns={languages.length > 1 ? Math.min(2, sorted.length) : 1}>
      {sorted.map((p) => (
        <div className="fw-prose-change" key={p.language} data-language={p.language}>
          <p className="fw-prose-language">{autonym(p.language)}</p>
          <p className="fw-words" lang={p.language}>
            <Words words={p.words} />
          </p>
        </div>
      ))}
    </div>
  );
}

export function Words({ words }: { readonly words: readonly WordRun[] }) {
  const t = useT();
  const d = t.framework.diff;
  const out: ReactNode[] = [];
  words.forEach((w, i) => {
    if (i > 0) out.push(' ');
    if (w.op === 'insert')
      out.push(
        <ins key={i}>
          <span className="visually-hidden">{d.inserted} </span>
          {w.text}
        </ins>,
      );
    else if (w.op === 'delete')
      out.push(
        <del key={i}>
          <span className="visually-hidden">{d.deleted} </span>
          {w.text}
        </del>,
      );
    else out.push(<span key={i}>{w.text}</span>);
  });
  return <>{out}</>;
}

function FieldTable({ fields }: { readonly fields: readonly FieldChange[] }) {
  const t = useT();
  const d = t.framework.diff;
  return (
    <div className="fw-field-table-wrap">
      <table className="fw-field-table">
        <thead>
          <tr>
            <th scope="col">{d.field}</th>
            <th scope="col">{d.before}</th>
            <th scope="col">{d.after}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            <tr key={`${f.path}-${i}`}>
              <th scope="row">
                <code>{f.path || d.whole}</code>
              </th>
              <td className="fw-field-before">
                <Value value={f.before} />
              </td>
              <td className="fw-field-after">
                <Value value={f.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Value({ value }: { readonly value: unknown }) {
  const t = useT();
  if (value === undefined) return <span className="fw-none">{t.framework.diff.none}</span>;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const long = text.length > 160;
  return (
    <code className="fw-value" title={long ? text : undefined}>
      {long ? `${text.slice(0, 157)}…` : text}
    </code>
  );
}
