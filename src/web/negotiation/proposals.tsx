import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { newIdempotencyKey, problemAt, type ApiProblem } from '../api';
import { formatInstant, utcTitle } from '../format';
import { label, useLanguage } from '../i18n';
import { partyName, useApi, useSession, useUser } from '../session';
import { Field } from '../shell/Field';
import {
  draftProposal,
  getComments,
  getProposals,
  mergeProposals,
  postComment,
  previewMerge,
  stepProposal,
  type Comment,
  type MergePick,
  type MergePreview,
  type Proposal,
  type ProposalAction,
} from './api';
import { SHARING, type Sharing } from './gradient';
import { useNegotiationT } from './messages';
import { wordDiff, type WordRun } from './word-diff';

type Clause = import('../../core/framework/model').Clause;
type Localised = Readonly<Record<string, string>>;

function pick(text: Localised | undefined | null, language: string): string {
  if (!text) return '';
  return text[language] || text.en || Object.values(text)[0] || '';
}

function excerpt(words: string): string {
  return words.length > 160 ? `${words.slice(0, 157)}…` : words;
}

function usePartyLabel(): (id: string) => string {
  const { parties } = useSession();
  return (id) => partyName(parties, id) ?? id.toUpperCase();
}

/** Struck and added words, as the framework's diff view shows them. */
export function WordRuns({ runs }: { runs: readonly WordRun[] }) {
  const out: ReactNode[] = [];
  runs.forEach((r, i) => {
    if (i > 0) out.push(' ');
    if (r.op === 'insert') out.push(<ins key={i}>{r.text}</ins>);
    else if (r.op === 'delete') out.push(<del key={i}>{r.text}</del>);
    else out.push(<span key={i}>{r.text}</span>);
  });
  return <>{out}</>;
}

// ---------------------------------------------------------------------------------------------------
// Proposals of one clause

/**
 * The clause's proposals the reader may see (tabled ones, and the own party's drafts), each with the
 * steps its reader may take: the proposing delegation tables, withdraws and re-tables; the mediator
 * accepts or rejects. An amendment shows its words against the words it replaces.
 */
export function ProposalsPanel({
  clauseId,
  clause,
  generation,
  onChanged,
}: {
  clauseId: string;
  clause: Clause | null;
  generation: number;
  onChanged: () => void;
}) {
  const n = useNegotiationT();
  const api = useApi();
  const user = useUser();
  const [proposals, setProposals] = useState<readonly Proposal[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const canPropose = user.party !== null && (user.roles.includes('delegate') || user.roles.includes('signer'));

  useEffect(() => {
    let live = true;
    void getProposals(api, clauseId).then((r) => {
      if (!live) return;
      if (r.ok) setProposals(r.value.proposals);
      else setProblem(r.problem);
    });
    return () => {
      live = false;
    };
  }, [api, clauseId, generation]);

  return (
    <div className="ng-proposals" data-testid="proposals">
      <h3>{n.proposals.title}</h3>
      {problem && <p role="alert">{problem.detail}</p>}
      {proposals && proposals.length === 0 && <p className="muted">{n.proposals.none}</p>}
      {proposals && proposals.length > 0 && (
        <ul className="ng-proposal-list">
          {proposals.map((p) => (
            <ProposalCard key={p.id} proposal={p} clause={clause} onChanged={onChanged} />
          ))}
        </ul>
      )}
      {/* A new version of the clause starts a fresh form: words typed against the old text would be stale. */}
      {canPropose && clause && <ProposalForm key={wordsKey(clause)} clause={clause} onDrafted={onChanged} />}
    </div>
  );
}

function wordsKey(clause: Clause): string {
  return JSON.stringify([clause.text, clause.alternatives.map((a) => [a.id, a.text])]);
}

function kindLabel(n: ReturnType<typeof useNegotiationT>, p: Proposal, clause: Clause | null): string {
  if (p.kind === 'alternative') return n.proposals.kindAlternative;
  if (!p.alternative) return n.proposals.kindAmendText;
  const alt = clause?.alternatives.find((a) => a.id === p.alternative);
  return n.proposals.kindAmendAlternative(alt?.label ?? p.alternative);
}

function ProposalCard({ proposal: p, clause, onChanged }: { proposal: Proposal; clause: Clause | null; onChanged: () => void }) {
  const n = useNegotiationT();
  const api = useApi();
  const user = useUser();
  const { language } = useLanguage();
  const partyLabel = usePartyLabel();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const own = user.party === p.party;
  const isMediator = user.roles.includes('mediator');
  const words = pick(p.text, language);
  // The words it replaces, as they stand now (or as they stood when it was drafted, if they are gone).
  const replaced =
    p.kind === 'amendment'
      ? p.alternative
        ? pick(clause?.alternatives.find((a) => a.id === p.alternative)?.text ?? p.basis?.alternative, language)
        : pick(clause?.text ?? p.basis?.clause, language)
      : '';

  const actions: { action: ProposalAction; text: string; primary?: boolean }[] = [];
  if (own && p.state === 'draft')
    actions.push({ action: 'table', text: n.proposals.table, primary: true }, { action: 'withdraw', text: n.proposals.withdraw });
  if (own && p.state === 'tabled') actions.push({ action: 'withdraw', text: n.proposals.withdraw });
  if (own && p.state === 'withdrawn') actions.push({ action: 'retable', text: n.proposals.retable });
  if (own && p.state === 'rejected') actions.push({ action: 'retable', text: n.proposals.retableAsAlternative });
  if (isMediator && p.state === 'tabled')
    actions.push({ action: 'accepted', text: n.proposals.accept, primary: true }, { action: 'rejected', text: n.proposals.reject });

  const act = (action: ProposalAction) => {
    setBusy(true);
    void stepProposal(api, p.id, action, newIdempotencyKey()).then((r) => {
      setBusy(false);
      if (r.ok) {
        setProblem(null);
        onChanged();
      } else setProblem(r.problem);
    });
  };

  const state = p.merged ? 'merged' : p.state;
  return (
    <li className={`ng-proposal ng-proposal-${state}`} data-proposal={p.id} data-state={state} data-party={p.party}>
      <div className="ng-proposal-head">
        <strong>{kindLabel(n, p, clause)}</strong>
        <span className="muted">{n.proposals.by(partyLabel(p.party))}</span>
        <span className={`ng-state ng-state-${state}`} data-testid="proposal-state">
          {p.merged
            ? n.proposals.mergedInto(p.merged.number)
            : p.state === 'accepted'
              ? n.proposals.readyToMerge
              : label(n.proposals.state, p.state)}
        </span>
      </div>
      {replaced && replaced !== words ? (
        <p className="ng-proposal-words" aria-label={n.proposals.against} lang={language}>
          <WordRuns runs={wordDiff(replaced, words)} />
        </p>
      ) : (
        <p className="ng-proposal-words" lang={language}>
          {words}
        </p>
      )}
      {p.note && <p className="ng-proposal-note">{p.note}</p>}
      <p className="muted ng-proposal-time">
        <time title={utcTitle(p.updatedAt)}>{formatInstant(p.updatedAt, language)}</time>
      </p>
      {actions.length > 0 && (
        <div className="ng-proposal-actions">
          {actions.map((a) => (
            <button
              key={a.action}
              type="button"
              className={`button button-small${a.primary ? ' button-primary' : ''}`}
              disabled={busy}
              onClick={() => act(a.action)}
            >
              {a.text}
            </button>
          ))}
        </div>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem.detail}
        </p>
      )}
    </li>
  );
}

/** Draft a proposal: an amendment of the clause's words or of one alternative, or a new alternative. */
function ProposalForm({ clause, onDrafted }: { clause: Clause; onDrafted: () => void }) {
  const n = useNegotiationT();
  const api = useApi();
  const targets = useMemo(() => {
    const out: { value: string; label: string; text: Localised | null }[] = [
      { value: 'text', label: n.proposals.kindAmendText, text: clause.text },
    ];
    for (const a of clause.alternatives)
      out.push({ value: `alt:${a.id}`, label: n.proposals.kindAmendAlternative(a.label ?? a.id), text: a.text });
    if (clause.alternatives.length > 0) out.push({ value: 'new', label: n.proposals.kindAlternative, text: null });
    return out;
  }, [clause, n]);
  const [target, setTarget] = useState('text');
  const [en, setEn] = useState(clause.text.en ?? '');
  const [uk, setUk] = useState(clause.text.uk ?? '');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const key = useRef(newIdempotencyKey());

  // An amendment starts from the words it amends; a new alternative from nothing.
  const choose = (value: string) => {
    setTarget(value);
    const text = targets.find((t) => t.value === value)?.text ?? null;
    setEn(text?.en ?? '');
    setUk(text?.uk ?? '');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (en.trim() === '') {
      setProblem({
        status: 0,
        code: 'validation_failed',
        title: n.proposals.textRequired,
        detail: n.proposals.textRequired,
        type: 'about:blank',
        pointer: '/text/en',
      });
      return;
    }
    setSaving(true);
    setSaved(false);
    const kind = target === 'new' ? 'alternative' : 'amendment';
    const alternative = target.startsWith('alt:') ? target.slice(4) : null;
    void draftProposal(
      api,
      { clause: clause.id, kind, alternative, text: { en: en.trim(), uk: uk.trim() }, note: note.trim() },
      key.current,
    ).then((r) => {
      setSaving(false);
      if (r.ok) {
        key.current = newIdempotencyKey();
        setProblem(null);
        setSaved(true);
        setNote('');
        onDrafted();
      } else setProblem(r.problem);
    });
  };

  const errorAt = (pointer: string) => (problemAt(problem, pointer) ? (problem?.detail ?? null) : null);
  const general = problem && !['/text', '/note', '/kind', '/alternative'].some((p) => problemAt(problem, p)) ? problem.detail : null;
  return (
    <form className="ng-form ng-proposal-form" onSubmit={submit} data-testid="proposal-form" noValidate>
      <h3>{n.proposals.formTitle}</h3>
      <Field id="ng-proposal-kind" label={n.proposals.kind} error={errorAt('/kind') ?? errorAt('/alternative')}>
        {(c) => (
          <select {...c} value={target} onChange={(e) => choose(e.target.value)}>
            {targets.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field-row">
        <Field id="ng-proposal-en" label={n.proposals.textEn} hint={n.proposals.textHint} error={errorAt('/text/en')}>
          {(c) => <textarea {...c} rows={4} lang="en" value={en} onChange={(e) => setEn(e.target.value)} />}
        </Field>
        <Field id="ng-proposal-uk" label={n.proposals.textUk} error={errorAt('/text/uk')}>
          {(c) => <textarea {...c} rows={4} lang="uk" value={uk} onChange={(e) => setUk(e.target.value)} />}
        </Field>
      </div>
      <Field id="ng-proposal-note" label={n.proposals.note} error={errorAt('/note')}>
        {(c) => <input {...c} type="text" value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      {general && (
        <p className="field-error" role="alert">
          {general}
        </p>
      )}
      <button type="submit" className="button" disabled={saving}>
        {saving ? n.proposals.saving : n.proposals.saveDraft}
      </button>
      {saved && (
        <p className="ng-saved" role="status">
          {n.proposals.saved}
        </p>
      )}
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------
// Comments of one clause

export function CommentThread({ clauseId, generation, onPosted }: { clauseId: string; generation: number; onPosted: () => void }) {
  const n = useNegotiationT();
  const api = useApi();
  const user = useUser();
  const { language } = useLanguage();
  const partyLabel = usePartyLabel();
  const [comments, setComments] = useState<readonly Comment[] | null>(null);
  const [text, setText] = useState('');
  // Without a party (the mediator) a comment can only be for everyone: there is no delegation to keep it to.
  const sharings: readonly Sharing[] = user.party ? SHARING : ['all'];
  const [sharing, setSharing] = useState<Sharing>(user.party ? 'own' : 'all');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [posting, setPosting] = useState(false);
  const key = useRef(newIdempotencyKey());
  const canComment = user.roles.some((r) => r === 'delegate' || r === 'signer' || r === 'mediator');

  useEffect(() => {
    let live = true;
    void getComments(api, clauseId).then((r) => {
      if (live && r.ok) setComments(r.value.comments);
    });
    return () => {
      live = false;
    };
  }, [api, clauseId, generation]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') {
      setProblem({
        status: 0,
        code: 'validation_failed',
        title: n.comments.textRequired,
        detail: n.comments.textRequired,
        type: 'about:blank',
        pointer: '/text',
      });
      return;
    }
    setPosting(true);
    void postComment(api, { clause: clauseId, text: text.trim(), sharing }, key.current).then((r) => {
      setPosting(false);
      if (r.ok) {
        key.current = newIdempotencyKey();
        setText('');
        setProblem(null);
        onPosted();
      } else setProblem(r.problem);
    });
  };

  return (
    <div className="ng-comments" data-testid="comments">
      <h3>{n.comments.title}</h3>
      {comments && comments.length === 0 && <p className="muted">{n.comments.none}</p>}
      {comments && comments.length > 0 && (
        <ol className="ng-comment-list">
          {comments.map((c, i) => (
            <li key={`${c.recordedAt}-${i}`} className="ng-comment" data-sharing={c.sharing}>
              <div className="ng-comment-head">
                <strong>{c.party ? partyLabel(c.party) : c.actor}</strong>
                <span className={`ng-share ng-share-${c.sharing}`}>{label(n.sharing, c.sharing)}</span>
                <time className="muted" title={utcTitle(c.recordedAt)}>
                  {formatInstant(c.recordedAt, language)}
                </time>
              </div>
              <p>{c.text}</p>
            </li>
          ))}
        </ol>
      )}
      {canComment && (
        <form className="ng-comment-form" onSubmit={submit} data-testid="comment-form" noValidate>
          <textarea
            aria-label={n.comments.placeholder}
            placeholder={n.comments.placeholder}
            rows={2}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="ng-comment-controls">
            {sharings.length > 1 && (
              <fieldset className="ng-sharing">
                <legend className="visually-hidden">{n.form.sharing}</legend>
                {sharings.map((s) => (
                  <label key={s}>
                    <input type="radio" name="ng-comment-sharing" value={s} checked={sharing === s} onChange={() => setSharing(s)} />{' '}
                    {n.sharing[s]}
                  </label>
                ))}
              </fieldset>
            )}
            <button type="submit" className="button button-small" disabled={posting}>
              {posting ? n.comments.posting : n.comments.post}
            </button>
          </div>
          {problem && (
            <p className="field-error" role="alert">
              {problem.detail}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// The mediator's merge into the next framework version

export function MergePanel({
  clauses,
  generation,
  onMerged,
  onSelect,
}: {
  clauses: ReadonlyMap<string, Clause>;
  generation: number;
  onMerged: () => void;
  onSelect: (clause: string) => void;
}) {
  const n = useNegotiationT();
  const api = useApi();
  const { language } = useLanguage();
  const partyLabel = usePartyLabel();
  const [ready, setReady] = useState<readonly Proposal[]>([]);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [resolveClause, setResolveClause] = useState('');
  const [resolveAlt, setResolveAlt] = useState('');
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState<'preview' | 'merge' | null>(null);
  const [merged, setMerged] = useState<number | null>(null);
  const key = useRef(newIdempotencyKey());
  const seen = useRef(new Set<string>());

  useEffect(() => {
    let live = true;
    void getProposals(api).then((r) => {
      if (!live || !r.ok) return;
      const waiting = r.value.proposals.filter((p) => p.state === 'accepted' && !p.merged);
      setReady(waiting);
      // New accepted proposals are picked by default; ones the mediator unticked stay unticked.
      const fresh = new Set(waiting.map((p) => p.id).filter((id) => !seen.current.has(id)));
      for (const p of waiting) seen.current.add(p.id);
      setChosen((old) => new Set(waiting.map((p) => p.id).filter((id) => old.has(id) || fresh.has(id))));
    });
    return () => {
      live = false;
    };
  }, [api, generation]);

  const selection: MergePick = {
    proposals: ready.filter((p) => chosen.has(p.id)).map((p) => p.id),
    resolve: resolveClause && resolveAlt ? [{ clause: resolveClause, alternative: resolveAlt }] : [],
  };
  const selectionKey = JSON.stringify(selection);
  // A preview belongs to the selection it was made for; changing the pick asks for a new one.
  const [previewKey, setPreviewKey] = useState<string | null>(null);
  const previewCurrent = preview !== null && previewKey === selectionKey;

  const bracketed = [...clauses.values()].filter((c) => c.status === 'bracketed');
  const resolveOptions = (() => {
    const c = clauses.get(resolveClause);
    if (!c) return [];
    const existing = c.alternatives.map((a) => ({ value: a.id, label: `${a.label ?? a.id} — ${pick(a.text, language).slice(0, 60)}` }));
    const proposed = ready
      .filter((p) => p.clause === c.id && p.kind === 'alternative' && chosen.has(p.id))
      .map((p) => ({
        value: p.id,
        label: `${n.proposals.kindAlternative} (${p.party.toUpperCase()}) — ${pick(p.text, language).slice(0, 60)}`,
      }));
    return [...existing, ...proposed];
  })();

  const runPreview = () => {
    setBusy('preview');
    setMerged(null);
    void previewMerge(api, selection).then((r) => {
      setBusy(null);
      if (r.ok) {
        setPreview(r.value);
        setPreviewKey(selectionKey);
        setProblem(null);
      } else {
        setPreview(null);
        setProblem(r.problem);
      }
    });
  };
  const runMerge = () => {
    setBusy('merge');
    void mergeProposals(api, selection, key.current).then((r) => {
      setBusy(null);
      if (r.ok) {
        key.current = newIdempotencyKey();
        setMerged(r.value.number);
        setPreview(null);
        setResolveClause('');
        setResolveAlt('');
        setProblem(null);
        onMerged();
      } else setProblem(r.problem);
    });
  };

  const nothing = ready.length === 0 && !resolveClause;
  return (
    <section className="ng-section ng-merge" aria-labelledby="ng-merge-title" data-testid="merge">
      <h2 id="ng-merge-title">{n.merge.title}</h2>
      <p className="muted">{n.merge.caption}</p>
      {ready.length === 0 ? (
        <p className="muted">{n.merge.nothing}</p>
      ) : (
        <ul className="ng-merge-list">
          {ready.map((p) => (
            <li key={p.id} data-proposal={p.id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.has(p.id)}
                  onChange={(e) =>
                    setChosen((old) => {
                      const next = new Set(old);
                      if (e.target.checked) next.add(p.id);
                      else next.delete(p.id);
                      return next;
                    })
                  }
                />{' '}
                <span>
                  <strong>{p.clause}</strong> · {kindLabel(n, p, clauses.get(p.clause) ?? null)} · {partyLabel(p.party)}
                </span>
                <span className="ng-merge-text">{excerpt(pick(p.text, language))}</span>
              </label>
              <button type="button" className="ng-clause-link" onClick={() => onSelect(p.clause)} aria-label={n.detail.title(p.clause)}>
                ↗
              </button>
            </li>
          ))}
        </ul>
      )}
      {bracketed.length > 0 && (
        <div className="field-row ng-resolve">
          <Field id="ng-resolve-clause" label={n.merge.resolveTitle}>
            {(c) => (
              <select
                {...c}
                value={resolveClause}
                onChange={(e) => {
                  setResolveClause(e.target.value);
                  setResolveAlt('');
                }}
              >
                <option value="">{n.merge.resolveNone}</option>
                {bracketed.map((c2) => (
                  <option key={c2.id} value={c2.id}>
                    {c2.id}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {resolveClause && (
            <Field
              id="ng-resolve-alternative"
              label={n.detail.alternatives}
              error={problemAt(problem, '/resolve') ? problem!.detail : null}
            >
              {(c) => (
                <select {...c} value={resolveAlt} onChange={(e) => setResolveAlt(e.target.value)}>
                  <option value="">—</option>
                  {resolveOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </div>
      )}
      <div className="ng-merge-actions">
        <button type="button" className="button" disabled={nothing || busy !== null} onClick={runPreview}>
          {busy === 'preview' ? n.merge.previewing : n.merge.preview}
        </button>
        {previewCurrent && (
          <button type="button" className="button button-primary" disabled={busy !== null} onClick={runMerge}>
            {busy === 'merge' ? n.merge.merging : n.merge.merge(preview.from.number + 1)}
          </button>
        )}
      </div>
      {problem && !problemAt(problem, '/resolve') && (
        <p className="field-error" role="alert">
          {problem.detail}
        </p>
      )}
      {merged !== null && (
        <p className="ng-saved" role="status">
          {n.merge.merged(merged)}
        </p>
      )}
      {previewCurrent && <MergeDiff preview={preview} />}
    </section>
  );
}

function MergeDiff({ preview }: { preview: MergePreview }) {
  const n = useNegotiationT();
  const { language } = useLanguage();
  const prose = (changes: readonly { language: string; words: readonly WordRun[] }[]) =>
    changes.find((c) => c.language === language) ?? changes.find((c) => c.language === 'en') ?? changes[0];
  return (
    <div className="ng-merge-diff" data-testid="merge-preview">
      <h3>
        {n.merge.previewTitle(preview.from.number, preview.from.number + 1)}{' '}
        <code className="muted" title={preview.hash}>
          {preview.hash.slice(0, 12)}…
        </code>
      </h3>
      {preview.diff.clauses.map((c) => {
        const text = prose(c.prose);
        return (
          <article key={c.clause} className="ng-merge-clause" data-clause={c.clause}>
            <h4>
              {c.clause} <span className="ng-state">{label(n.merge.change, c.change)}</span>
              {c.status && <span className="muted"> · {n.merge.status(c.status.before, c.status.after)}</span>}
            </h4>
            {text && (
              <p className="ng-proposal-words" lang={text.language}>
                <WordRuns runs={text.words} />
              </p>
            )}
            {c.alternatives.map((a) => {
              const alt = prose(a.prose);
              return (
                <div key={a.id} className={`ng-merge-alt ng-merge-alt-${a.change}`}>
                  <p className="ng-merge-alt-head">
                    {n.merge.alternative(a.label)} <span className="ng-state">{label(n.merge.change, a.change)}</span>
                  </p>
                  {alt && (
                    <p className="ng-proposal-words" lang={alt.language}>
                      <WordRuns runs={alt.words} />
                    </p>
                  )}
                </div>
              );
            })}
          </article>
        );
      })}
    </div>
  );
}
