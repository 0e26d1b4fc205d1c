import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ApiClient, ApiProblem } from '../api';
import { formatInstant, shortHash, utcTitle } from '../format';
import { useT } from '../i18n';
import { useJournalEvents, useLiveEpoch } from '../live';
import { useApi, useUser } from '../session';
import { getConsistencyProof, getHeads, getInclusionProof, getLatestHead, signHeadNow, type SignedTreeHead } from './api';
import { HeadsChart } from './HeadsChart';
import { useTreeT, type TreeMessages } from './messages';
import { verifyHeadSignature, type SignatureCheck } from './merkle-verify';
import { conflicts, headsToRecheck, loadSeen, mergeSeen, saveSeen, sameHead, type SeenHead } from './seen-heads';
import { checkConsistency, checkInclusion, type ConsistencyCheck, type InclusionCheck, type TreeReader } from './tree-checks';
import './audit-tree.css';

const TREE_HEAD_TYPE = 'journal.tree-head';

function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The tree routes plus the journal listing, as the checks need them. */
function treeReader(api: ApiClient): TreeReader {
  return {
    inclusion: (position, size) => getInclusionProof(api, position, size),
    consistency: (from, to) => getConsistencyProof(api, from, to),
    async eventHash(position) {
      const page = await api.journalPage(position - 1, 1);
      if (!page.ok) return page;
      const event = page.value.events[0];
      return { ok: true, value: event?.position === position ? event.hash : null };
    },
  };
}

const headKey = (h: SeenHead) => `${h.size}:${h.root}`;

function largestResult(results: readonly ConsistencyCheck[]): ConsistencyCheck | undefined {
  let best: Extract<ConsistencyCheck, { outcome: 'consistent' }> | undefined;
  for (const r of results) if (r.outcome === 'consistent' && (!best || r.older.size > best.older.size)) best = r;
  return best;
}

interface Loaded {
  readonly latest: SignedTreeHead | null;
  readonly history: readonly SignedTreeHead[];
}

/** The signed tree heads, the heads this browser kept, and the checks a reader runs against them. */
export function TreeLog({ request = null }: { readonly request?: CheckRequest | null }) {
  const tt = useTreeT();
  const t = useT();
  const locale = t.meta.locale;
  const api = useApi();
  const user = useUser();
  const epoch = useLiveEpoch();
  const reader = useMemo(() => treeReader(api), [api]);

  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [seen, setSeen] = useState<readonly SeenHead[]>(() => loadSeen(browserStorage()));
  const [saved, setSaved] = useState(true);
  const [signature, setSignature] = useState<SignatureCheck | 'checking'>('checking');
  const [auto, setAuto] = useState<ConsistencyCheck | null>(null);
  const [signing, setSigning] = useState(false);
  const [signProblem, setSignProblem] = useState<ApiProblem | null>(null);
  const ticket = useRef(0);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    const latest = await getLatestHead(api);
    // 404: no head signed yet, which the page says; anything else is a failure to load.
    const history = latest.ok || latest.problem.status === 404 ? await getHeads(api) : latest;
    if (mine !== ticket.current) return;
    if (!history.ok) return setProblem(history.problem);
    const head = latest.ok ? latest.value : null;
    setProblem(null);
    setLoaded({ latest: head, history: history.value });
    if (!head) return;
    // Judge the new head against what this browser kept from earlier visits, before adding it.
    const kept = loadSeen(browserStorage());
    const recheck = headsToRecheck(kept, head, history.value);
    const next = mergeSeen(kept, [...history.value, head]);
    setSeen(next);
    setSaved(saveSeen(browserStorage(), next));
    setSignature('checking');
    setSignature(await verifyHeadSignature(head));
    const results = await Promise.all(recheck.map((h) => checkConsistency(reader, h, head)));
    // A failure outranks any success; otherwise report the check against the largest head kept before.
    const verdict =
      results.find((r) => r.outcome === 'inconsistent') ?? results.find((r) => r.outcome === 'problem') ?? largestResult(results);
    if (mine === ticket.current) setAuto(verdict ?? null);
  }, [api, reader]);

  useEffect(() => {
    void load();
  }, [load, epoch]);

  useJournalEvents((event) => {
    if (event.type === TREE_HEAD_TYPE) void load();
  });

  const signNow = async () => {
    setSigning(true);
    const result = await signHeadNow(api);
    setSigning(false);
    setSignProblem(result.ok ? null : result.problem);
    if (result.ok) void load();
  };

  const forks = conflicts(seen);
  const latest = loaded?.latest ?? null;

  return (
    <section className="tree-log" aria-labelledby="tree-log-title" aria-busy={!loaded || undefined}>
      <div className="section-head">
        <div>
          <h2 id="tree-log-title">{tt.title}</h2>
          <p className="section-intro">{tt.intro}</p>
        </div>
        {user.roles.includes('admin') && (
          <button type="button" className="button button-small" onClick={() => void signNow()} disabled={signing}>
            {signing ? tt.signing : tt.signNow}
          </button>
        )}
      </div>
      {signProblem && (
        <p className="notice notice-error" role="alert">
          {tt.problem} {signProblem.detail}
        </p>
      )}
      {forks.length > 0 && (
        <Rewritten tt={tt} check={{ outcome: 'inconsistent', older: forks[0]![0], newer: forks[0]![1], reason: 'same-size' }} />
      )}
      {auto?.outcome === 'inconsistent' && <Rewritten tt={tt} check={auto} />}
      {auto?.outcome === 'problem' && (
        <p className="notice notice-error" role="alert">
          {tt.consistency.autoFailed} {auto.problem.detail}
        </p>
      )}
      {problem && (
        <div className="notice notice-error" role="alert">
          <p>
            {tt.failed} {problem.detail}
          </p>
          <button type="button" className="button button-small" onClick={() => void load()}>
            {t.app.retry}
          </button>
        </div>
      )}
      {!loaded && !problem && <p className="loading">{tt.loading}</p>}
      {loaded && !latest && <p className="empty">{tt.none}</p>}
      {latest && (
        <div className="tree-grid">
          <HeadCard head={latest} signature={signature} locale={locale} />
          <div className="tree-history">
            <h3>{tt.history}</h3>
            <p className="section-intro">{tt.historyCaption(loaded!.history.length)}</p>
            <HeadsChart heads={loaded!.history} locale={locale} />
            {auto?.outcome === 'consistent' && (
              <p className="tree-auto" data-outcome="consistent">
                {tt.consistency.auto(auto.older.size, auto.newer.size)}
              </p>
            )}
          </div>
          <InclusionForm reader={reader} head={latest} request={request} />
          <ConsistencyForm reader={reader} seen={seen} saved={saved} locale={locale} />
        </div>
      )}
    </section>
  );
}

function HeadCard({ head, signature, locale }: { head: SignedTreeHead; signature: SignatureCheck | 'checking'; locale: string }) {
  const tt = useTreeT();
  return (
    <div className="tree-head" data-signature={signature} data-testid="tree-head">
      <h3>{tt.latest}</h3>
      <p className="tree-head-size">
        <span className="tree-head-number">{head.size.toLocaleString(locale)}</span> {tt.size.toLowerCase()}
      </p>
      <dl className="tree-facts">
        <dt>{tt.root}</dt>
        <dd>
          <code className="tree-root" title={head.root}>
            {head.root}
          </code>
        </dd>
        <dt>{tt.issuedAt}</dt>
        <dd title={utcTitle(head.issuedAt)}>{formatInstant(head.issuedAt, locale)}</dd>
        <dt>{tt.keyId}</dt>
        <dd>
          <code>{head.keyId}</code>
        </dd>
        <dt>{tt.authorities}</dt>
        <dd>{head.timestamps.length === 0 ? tt.noAuthorities : head.timestamps.map((s) => s.authority).join(', ')}</dd>
      </dl>
      <p className="tree-signature" role="status">
        {tt.signature[signature]}
      </p>
    </div>
  );
}

function Rewritten({ tt, check }: { tt: TreeMessages; check: Extract<ConsistencyCheck, { outcome: 'inconsistent' }> }) {
  const older = tt.consistency.headName(check.older.size, shortHash(check.older.root));
  const newer = tt.consistency.headName(check.newer.size, shortHash(check.newer.root));
  return (
    <div className="tree-alarm" role="alert" data-testid="history-rewritten">
      <p className="tree-alarm-title">{tt.consistency.inconsistent}</p>
      <p>{tt.consistency.inconsistentDetail[check.reason]!(older, newer)}</p>
      <p>{tt.consistency.keep}</p>
    </div>
  );
}

/** A request from the journal table to check one event; `ticket` makes a repeated request run again. */
export interface CheckRequest {
  readonly position: number;
  readonly ticket: number;
}

function InclusionForm({ reader, head, request }: { reader: TreeReader; head: SignedTreeHead; request: CheckRequest | null }) {
  const tt = useTreeT();
  const [position, setPosition] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<InclusionCheck | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const run = useCallback(
    async (text: string) => {
      const n = Number(text);
      setResult(null);
      if (!Number.isInteger(n) || n < 1 || n > head.size) return setInvalid(true);
      setInvalid(false);
      setBusy(true);
      setResult(await checkInclusion(reader, n, head));
      setBusy(false);
    },
    [reader, head],
  );

  useEffect(() => {
    if (!request) return;
    setPosition(String(request.position));
    form.current?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    void run(String(request.position));
    // Only a new request runs a check; a new head alone does not.
  }, [request]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(position);
  };

  return (
    <form ref={form} className="tree-check" onSubmit={submit} noValidate aria-labelledby="tree-inclusion-title">
      <h3 id="tree-inclusion-title">{tt.inclusion.title}</h3>
      <p className="section-intro">{tt.inclusion.intro}</p>
      <div className="tree-check-row">
        <div className="field">
          <label htmlFor="tree-position">{tt.inclusion.position}</label>
          <input
            id="tree-position"
            inputMode="numeric"
            value={position}
            onChange={(e) => setPosition(e.target.value.trim())}
            aria-invalid={invalid || undefined}
            aria-describedby="tree-position-hint"
          />
          <span id="tree-position-hint" className={invalid ? 'field-error' : 'field-hint'}>
            {invalid ? tt.inclusion.positionInvalid(head.size) : tt.inclusion.positionHint(head.size)}
          </span>
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? tt.inclusion.checking : tt.inclusion.check}
        </button>
      </div>
      {result && <InclusionResult result={result} />}
    </form>
  );
}

function InclusionResult({ result }: { result: InclusionCheck }) {
  const tt = useTreeT();
  if (result.outcome === 'problem') {
    return (
      <p className="tree-result" data-outcome="problem" role="status">
        {tt.problem} {result.problem.detail}
      </p>
    );
  }
  if (result.outcome === 'failed') {
    return (
      <p className="tree-result" data-outcome="failed" role="alert">
        {tt.inclusion.failed[result.reason]}
      </p>
    );
  }
  return (
    <div className="tree-result" data-outcome="included" role="status" data-testid="inclusion-result">
      <p>
        <strong>{tt.inclusion.included(result.position, result.size)}</strong>
      </p>
      <p>{tt.inclusion.includedDetail(result.steps, shortHash(result.leaf, 16))}</p>
      <p className="tree-result-signature">{tt.signature[result.signature]}</p>
    </div>
  );
}

function ConsistencyForm({
  reader,
  seen,
  saved,
  locale,
}: {
  reader: TreeReader;
  seen: readonly SeenHead[];
  saved: boolean;
  locale: string;
}) {
  const tt = useTreeT();
  const [older, setOlder] = useState('');
  const [newer, setNewer] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ConsistencyCheck | null>(null);
  const pick = (key: string, fallback: SeenHead | undefined) => seen.find((h) => headKey(h) === key) ?? fallback;
  const a = pick(older, seen.at(-2));
  const b = pick(newer, seen.at(-1));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!a || !b) return;
    setBusy(true);
    setResult(null);
    setResult(await checkConsistency(reader, a, b));
    setBusy(false);
  };

  const option = (h: SeenHead) => (
    <option key={headKey(h)} value={headKey(h)}>
      {tt.consistency.option(h.size, shortHash(h.root, 8), formatInstant(h.issuedAt, locale))}
    </option>
  );

  return (
    <form className="tree-check" onSubmit={(e) => void submit(e)} aria-labelledby="tree-consistency-title">
      <h3 id="tree-consistency-title">{tt.consistency.title}</h3>
      <p className="section-intro">{tt.consistency.intro}</p>
      <p className="field-hint">
        {tt.consistency.seen(seen.length)} {!saved && tt.consistency.notSaved}
      </p>
      {seen.length < 2 ? (
        <p className="empty">{tt.consistency.needTwo}</p>
      ) : (
        <div className="tree-pair">
          <div className="field">
            <label htmlFor="tree-older">{tt.consistency.older}</label>
            <select id="tree-older" value={a ? headKey(a) : ''} onChange={(e) => setOlder(e.target.value)}>
              {seen.map(option)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="tree-newer">{tt.consistency.newer}</label>
            <select id="tree-newer" value={b ? headKey(b) : ''} onChange={(e) => setNewer(e.target.value)}>
              {seen.map(option)}
            </select>
          </div>
          <button type="submit" className="button button-primary" disabled={busy || !a || !b || sameHead(a, b)}>
            {busy ? tt.consistency.checking : tt.consistency.check}
          </button>
        </div>
      )}
      {result?.outcome === 'consistent' && (
        <div className="tree-result" data-outcome="consistent" role="status" data-testid="consistency-result">
          <p>
            <strong>{tt.consistency.consistent(result.older.size, result.newer.size)}</strong>
          </p>
          <p>{tt.consistency.consistentDetail(result.steps)}</p>
        </div>
      )}
      {result?.outcome === 'inconsistent' && <Rewritten tt={tt} check={result} />}
      {result?.outcome === 'problem' && (
        <p className="tree-result" data-outcome="problem" role="status">
          {tt.problem} {result.problem.detail}
        </p>
      )}
    </form>
  );
}
