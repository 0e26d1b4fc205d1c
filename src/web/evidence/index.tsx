import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { newIdempotencyKey, type ApiProblem, type JournalEvent } from '../api';
import { formatInstant, shortHash, utcTitle } from '../format';
import { useLanguage, useT } from '../i18n';
import { useJournalEvents } from '../live';
import { partyName, useApi, useSession, useUser } from '../session';
import { PageHeader } from '../shell/PageHeader';
import {
  changeAccess,
  contentUrl,
  getLimits,
  listCases,
  listItems,
  openItem,
  publishItem,
  recordChallenge,
  recordVerification,
  sha256Of,
  submitDerivative,
  transferCustody,
  uploadFile,
  type CaseChoice,
  type ItemDetail,
  type ItemSummary,
  type Limits,
} from './api';
import { useEvidenceT, type EvidenceMessages } from './messages';
import { useEvidenceQueue, type EvidenceQueue } from './queue';
import { custodyTone, distanceM, formatBytes, placeFrame } from './view';
import './evidence.css';

const PURPOSE_KEY = 'entente.evidence.purpose';

/**
 * The evidence module: submit a file (hashed on this device, uploaded resumably, kept on the device while
 * offline), the items per case, and an item's detail — both hashes, place and time by source with the
 * discrepancies flagged, the chain of custody (which grows live, and by one each time it is opened:
 * opening is recorded with the reader's purpose), verification records, challenges, derivatives and
 * publication.
 */
export default function EvidencePage() {
  const t = useT();
  const e = useEvidenceT();
  const api = useApi();
  const user = useUser();
  const [purpose, setPurpose] = useState(() => sessionStorage.getItem(PURPOSE_KEY) ?? e.purpose.initial);
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [cases, setCases] = useState<CaseChoice[]>([]);
  const [limits, setLimits] = useState<Limits | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const [list, caseList] = await Promise.all([listItems(api), listCases(api)]);
    if (list.ok) setItems(list.value.items);
    else setProblem(list.problem);
    if (caseList.ok) setCases(caseList.value.cases);
  }, [api]);

  useEffect(() => {
    void reload();
    void getLimits(api).then((r) => r.ok && setLimits(r.value));
  }, [api, reload]);
  useJournalEvents((event) => {
    if (event.type.startsWith('evidence.')) void reload();
  });
  useEffect(() => sessionStorage.setItem(PURPOSE_KEY, purpose), [purpose]);

  const queue = useEvidenceQueue(api, user.username, () => void reload());

  return (
    <article className="page page-wide ev-page">
      <PageHeader title={t.nav.evidence} lead={e.lead} />
      <div className="ev-purpose">
        <label htmlFor="ev-purpose">{e.purpose.label}</label>
        <input id="ev-purpose" value={purpose} onChange={(ev) => setPurpose(ev.target.value)} aria-describedby="ev-purpose-hint" />
        <span id="ev-purpose-hint" className="muted">
          {e.purpose.hint}
        </span>
      </div>
      {problem && (
        <p className="ev-problem" role="alert">
          {e.failed} {problem.detail}
        </p>
      )}
      <div className="ev-layout">
        <div className="ev-side">
          <SubmitPanel cases={cases} limits={limits} queue={queue} />
          <QueuePanel queue={queue} />
        </div>
        <ItemsByCase items={items} cases={cases} selected={selected} onSelect={setSelected} />
      </div>
      {selected && (
        <ItemPanel
          key={selected}
          id={selected}
          purpose={purpose}
          cases={cases}
          onClose={() => setSelected(null)}
          onSelect={setSelected}
          onChanged={() => void reload()}
        />
      )}
    </article>
  );
}

function SubmitPanel({
  cases,
  limits,
  queue,
}: {
  readonly cases: readonly CaseChoice[];
  readonly limits: Limits | null;
  readonly queue: EvidenceQueue;
}) {
  const e = useEvidenceT();
  const user = useUser();
  const [file, setFile] = useState<File | null>(null);
  const [caseId, setCaseId] = useState('');
  const [purpose, setPurpose] = useState(e.submit.purposeInitial);
  const [note, setNote] = useState('');
  const [position, setPosition] = useState<{ lon: number; lat: number; accuracy_m: number } | null>(null);
  const [reporterName, setReporterName] = useState('');
  const [reporterContact, setReporterContact] = useState('');
  const [stage, setStage] = useState<'idle' | 'hashing' | 'sending' | 'done' | 'queued' | 'refused'>('idle');
  const [message, setMessage] = useState<string | null>(null);
  const [hashes, setHashes] = useState<{ device: string; server: string | null } | null>(null);
  const [key, setKey] = useState<string | null>(null);
  const [hashed, setHashed] = useState(0);

  const locate = () => {
    navigator.geolocation.getCurrentPosition(
      (p) => setPosition({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: Math.round(p.coords.accuracy) }),
      (err) => setMessage(`${e.submit.positionError} ${err.message}`),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return setMessage(e.submit.choose);
    if (limits && file.size > limits.maxBytes) return setMessage(e.submit.tooLarge(formatBytes(limits.maxBytes)));
    setMessage(null);
    setStage('hashing');
    setHashed(0);
    const deviceTime = new Date().toISOString();
    const sha256 = await sha256Of(file, (done, total) => setHashed(Math.round((done / Math.max(total, 1)) * 100)));
    setHashes({ device: sha256, server: null });
    const entryKey = newIdempotencyKey();
    setKey(entryKey);
    setStage('sending');
    const outcome = await queue.add({
      key: entryKey,
      owner: user.username,
      file,
      sha256,
      writtenAt: deviceTime,
      refused: null,
      meta: {
        filename: file.name,
        mediaType: file.type,
        caseId: caseId || null,
        deviceTime,
        position,
        purpose,
        note,
        ...(reporterName.trim() ? { reporter: { name: reporterName.trim(), contact: reporterContact.trim() } } : {}),
      },
    });
    if (outcome.kind === 'stored') {
      setHashes({ device: sha256, server: outcome.captured.sha256 });
      setStage('done');
    } else if (outcome.kind === 'offline') setStage('queued');
    else {
      setStage('refused');
      setMessage(outcome.detail);
    }
  }

  // A photo queued offline is sent later by the queue: show its outcome here when it comes.
  const last = queue.last;
  useEffect(() => {
    if (stage === 'queued' && last?.kind === 'stored' && hashes && last.captured.clientSha256 === hashes.device) {
      setHashes({ device: hashes.device, server: last.captured.sha256 });
      setStage('done');
    }
  }, [last, stage, hashes]);

  const uploading = queue.progress && queue.progress.key === key ? queue.progress : null;
  const pct = uploading && uploading.total > 0 ? Math.round((uploading.sent / uploading.total) * 100) : stage === 'done' ? 100 : 0;
  return (
    <section className="ev-card" aria-labelledby="ev-submit-title">
      <h2 id="ev-submit-title">{e.submit.title}</h2>
      <form onSubmit={(ev) => void submit(ev)} className="ev-form">
        <label htmlFor="ev-file">{e.submit.file}</label>
        <input id="ev-file" type="file" onChange={(ev) => setFile(ev.target.files?.[0] ?? null)} accept={limits?.acceptedTypes.join(',')} />
        <label htmlFor="ev-case">{e.submit.caseLabel}</label>
        <select id="ev-case" value={caseId} onChange={(ev) => setCaseId(ev.target.value)}>
          <option value="">{e.submit.noCase}</option>
          {cases.map((c) => (
            <option key={c.id} value={c.id}>
              #{c.number} · {c.types.join(', ')} · {c.status}
            </option>
          ))}
        </select>
        <label htmlFor="ev-collect-purpose">{e.submit.purpose}</label>
        <input id="ev-collect-purpose" value={purpose} onChange={(ev) => setPurpose(ev.target.value)} />
        <label htmlFor="ev-note">{e.submit.note}</label>
        <textarea id="ev-note" rows={2} value={note} onChange={(ev) => setNote(ev.target.value)} />
        <div className="ev-position">
          <span>
            {e.submit.position}:{' '}
            {position ? `${position.lat.toFixed(5)}, ${position.lon.toFixed(5)} ±${position.accuracy_m} m` : e.submit.noPosition}
          </span>
          <button type="button" className="ev-secondary" onClick={locate}>
            {e.submit.usePosition}
          </button>
        </div>
        <details className="ev-reporter">
          <summary>{e.submit.reporterTitle}</summary>
          <label htmlFor="ev-reporter-name">{e.submit.reporterName}</label>
          <input id="ev-reporter-name" value={reporterName} onChange={(ev) => setReporterName(ev.target.value)} autoComplete="off" />
          <label htmlFor="ev-reporter-contact">{e.submit.reporterContact}</label>
          <input
            id="ev-reporter-contact"
            value={reporterContact}
            onChange={(ev) => setReporterContact(ev.target.value)}
            autoComplete="off"
          />
        </details>
        <button type="submit" disabled={stage === 'hashing' || stage === 'sending'}>
          {e.submit.send}
        </button>
      </form>
      {stage !== 'idle' && (
        <div className="ev-progress" aria-live="polite">
          <div
            className="ev-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-label={e.submit.uploading(pct)}
          >
            <span style={{ width: `${stage === 'hashing' ? hashed : pct}%` }} className={`ev-bar-fill ev-bar-${stage}`} />
          </div>
          <p className="ev-stage" data-stage={stage}>
            {stage === 'hashing'
              ? e.submit.hashing
              : stage === 'sending'
                ? pct >= 100
                  ? e.submit.checking
                  : e.submit.uploading(pct)
                : stage === 'done'
                  ? e.submit.done
                  : stage === 'queued'
                    ? e.submit.queued
                    : message}
          </p>
          {hashes && <HashPair device={hashes.device} server={hashes.server} e={e} />}
        </div>
      )}
      {message && stage !== 'refused' && <p className="ev-problem">{message}</p>}
    </section>
  );
}

function HashPair({ device, server, e }: { readonly device: string; readonly server: string | null; readonly e: EvidenceMessages }) {
  const matches = server !== null && server === device;
  return (
    <dl className="ev-hashes">
      <dt>{e.submit.deviceHash}</dt>
      <dd>
        <code data-testid="device-hash">{device}</code>
      </dd>
      <dt>{e.submit.serverHash}</dt>
      <dd>
        <code data-testid="server-hash">{server ?? '…'}</code>
      </dd>
      {server !== null && (
        <dd className={matches ? 'ev-match' : 'ev-mismatch'} data-testid="hash-verdict">
          {matches ? `✓ ${e.submit.match}` : `✗ ${e.submit.mismatch}`}
        </dd>
      )}
    </dl>
  );
}

function QueuePanel({ queue }: { readonly queue: EvidenceQueue }) {
  const e = useEvidenceT();
  if (queue.entries.length === 0) return null;
  return (
    <section className="ev-card" aria-labelledby="ev-queue-title">
      <div className="ev-card-head">
        <h2 id="ev-queue-title">{e.queue.title}</h2>
        <button type="button" className="ev-secondary" onClick={() => void queue.flush()}>
          {e.queue.retry}
        </button>
      </div>
      <ul className="ev-queue">
        {queue.entries.map((p) => (
          <li key={p.key} data-testid="queued-evidence">
            <strong>{p.meta.filename}</strong> <code>{shortHash(p.sha256)}</code>
            <span className={p.refused ? 'ev-problem' : 'muted'}>{p.refused ? `${e.queue.refused} ${p.refused}` : e.queue.waiting}</span>
            <button type="button" className="ev-link" onClick={() => void queue.discard(p.key)}>
              {e.queue.discard}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ItemsByCase({
  items,
  cases,
  selected,
  onSelect,
}: {
  readonly items: readonly ItemSummary[];
  readonly cases: readonly CaseChoice[];
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
}) {
  const e = useEvidenceT();
  const { language } = useLanguage();
  const { parties } = useSession();
  const groups = useMemo(() => {
    const byCase = new Map<string, ItemSummary[]>();
    for (const item of items) {
      const k = item.caseId ?? '';
      byCase.set(k, [...(byCase.get(k) ?? []), item]);
    }
    return [...byCase].sort(([a], [b]) => (cases.find((c) => c.id === a)?.number ?? 1e9) - (cases.find((c) => c.id === b)?.number ?? 1e9));
  }, [items, cases]);
  return (
    <section className="ev-card ev-items" aria-labelledby="ev-items-title">
      <h2 id="ev-items-title">{e.list.title}</h2>
      {items.length === 0 && <p className="muted">{e.list.empty}</p>}
      {groups.map(([caseId, list]) => {
        const kase = cases.find((c) => c.id === caseId);
        return (
          <div key={caseId || 'none'} className="ev-case">
            <h3>{kase ? e.list.caseTitle(kase.number, kase.types.join(', ')) : e.list.noCase}</h3>
            <table className="ev-table">
              <thead>
                <tr>
                  <th>{e.list.file}</th>
                  <th>{e.list.capturedBy}</th>
                  <th>{e.list.at}</th>
                  <th>{e.list.flags}</th>
                  <th>{e.list.records}</th>
                  <th>{e.list.custody}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((item) => (
                  <tr key={item.id} className={item.id === selected ? 'ev-selected' : undefined}>
                    <td>
                      <button
                        type="button"
                        className="ev-link"
                        onClick={() => onSelect(item.id)}
                        aria-label={e.list.open(item.file.filename)}
                      >
                        <span className={`ev-kind ev-kind-${item.kind}`} aria-hidden="true" />
                        {item.file.filename}
                      </button>
                      <div className="muted ev-small">
                        {item.parent ? e.list.derivative(e.derive.actions[item.parent.action] ?? item.parent.action) : item.file.mediaType}{' '}
                        · {formatBytes(item.file.bytes)}{' '}
                        {item.published && <span className="ev-chip ev-chip-public">{e.list.published}</span>}
                      </div>
                    </td>
                    <td>
                      {item.capturedBy}
                      <div className="muted ev-small">{partyName(parties, item.party)}</div>
                    </td>
                    <td title={utcTitle(item.capturedAt)}>{formatInstant(item.capturedAt, language)}</td>
                    <td>
                      {item.discrepancies > 0 ? (
                        <span className="ev-chip ev-chip-flag">⚑ {item.discrepancies}</span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      <span title="verifications">✔ {item.verifications}</span> <span title="challenges">⚔ {item.challenges}</span>
                    </td>
                    <td>
                      <CustodySpark count={item.custodyEvents} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}

/** The length of a custody log at a glance: one tick per event. */
function CustodySpark({ count }: { readonly count: number }) {
  const shown = Math.min(count, 24);
  return (
    <svg className="ev-spark" width={shown * 5 + 24} height={14} role="img" aria-label={`${count}`}>
      {Array.from({ length: shown }, (_, i) => (
        <rect key={i} x={i * 5} y={2} width={3} height={10} rx={1} />
      ))}
      <text x={shown * 5 + 4} y={11}>
        {count}
      </text>
    </svg>
  );
}

function liveEntry(event: JournalEvent): ItemDetail['custody'][number] {
  const p = event.payload as { purpose?: string };
  return {
    position: event.position,
    version: event.streamVersion,
    type: event.type,
    actor: event.actor,
    party: event.party,
    at: event.recordedAt,
    purpose: String(p.purpose ?? ''),
    summary: '',
  };
}

function ItemPanel({
  id,
  purpose,
  cases,
  onClose,
  onSelect,
  onChanged,
}: {
  readonly id: string;
  readonly purpose: string;
  readonly cases: readonly CaseChoice[];
  readonly onClose: () => void;
  readonly onSelect: (id: string) => void;
  readonly onChanged: () => void;
}) {
  const e = useEvidenceT();
  const api = useApi();
  const user = useUser();
  const { language } = useLanguage();
  const { parties } = useSession();
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  // Opening is recorded with the purpose stated at that moment; typing a new purpose does not re-open.
  const purposeNow = useRef(purpose);
  purposeNow.current = purpose;
  const open = useCallback(async () => {
    const r = await openItem(api, id, purposeNow.current);
    if (r.ok) setItem(r.value);
    else setProblem(r.problem);
  }, [api, id]);
  useEffect(() => void open(), [open]);
  // The timeline grows live: custody events of this item that the reader may read arrive on the stream.
  useJournalEvents((event) => {
    if (event.stream !== `evidence/${id}`) return;
    setItem((current) =>
      current && !current.custody.some((c) => c.position === event.position)
        ? { ...current, custody: [...current.custody, liveEntry(event)] }
        : current,
    );
  });

  if (problem) return <aside className="ev-detail ev-card ev-problem">{problem.detail}</aside>;
  if (!item) return <aside className="ev-detail ev-card muted">…</aside>;
  const kase = cases.find((c) => c.id === item.caseId);
  const canAnalyse = user.roles.includes('monitor');
  const canChallenge = user.roles.some((r) => r === 'delegate' || r === 'signer' || r === 'guarantor');
  const canPublish = user.roles.includes('mediator') && item.kind === 'derivative' && !item.publishedAt;
  const canDerive = user.roles.some((r) => r === 'monitor' || r === 'mediator');
  const canGovern = canDerive;
  const after = async () => {
    await open();
    onChanged();
  };
  return (
    <aside className="ev-detail ev-card" aria-labelledby="ev-detail-title">
      <div className="ev-card-head">
        <div>
          <p className="ev-eyebrow">
            {item.kind === 'original' ? e.detail.original : e.detail.derivative}
            {kase ? ` · ${e.list.caseTitle(kase.number, '')}` : ''}
          </p>
          <h2 id="ev-detail-title">{item.file.filename}</h2>
          {item.parent && (
            <button type="button" className="ev-link" onClick={() => onSelect(item.parent!.item)}>
              {e.detail.parent(e.derive.actions[item.parent.action] ?? item.parent.action, shortHash(item.parent.sha256))}
            </button>
          )}
        </div>
        <div className="ev-actions">
          <a
            className="ev-button"
            href={contentUrl(item.id, purpose)}
            download={item.file.filename}
            onClick={() => setTimeout(() => void open(), 800)}
          >
            {e.detail.download}
          </a>
          {canPublish && (
            <button type="button" onClick={() => void publishItem(api, item.id, purpose).then(after)}>
              {e.detail.publish}
            </button>
          )}
          <button type="button" className="ev-secondary" onClick={onClose}>
            {e.detail.close}
          </button>
        </div>
      </div>
      {item.publishedAt && <p className="ev-chip ev-chip-public">{e.detail.publishedAt(formatInstant(item.publishedAt, language))}</p>}
      {item.reporterSealed && <p className="muted">🔒 {e.detail.sealed}</p>}

      <div className="ev-detail-grid">
        <section>
          <h3>{e.detail.hashes}</h3>
          <HashPair device={item.file.clientSha256} server={item.file.sha256} e={e} />
          <p className="muted ev-small">
            {item.file.mediaType} · {formatBytes(item.file.bytes)} · {e.detail.custodian}: {partyName(parties, item.custodian) ?? '—'} ·{' '}
            {e.detail.readers}: {item.readers.join(', ')}
          </p>
          {item.capture && <SourcesView item={item} />}
        </section>
        <section>
          <h3>{e.detail.custodyTitle}</h3>
          <p className="muted ev-small">{e.detail.custodyCaption(item.custody.length)}</p>
          <ol className="ev-timeline" data-testid="custody-timeline">
            {item.custody.map((c) => (
              <li key={c.position} className={`ev-tone-${custodyTone(c.type)}`}>
                <span className="ev-dot" aria-hidden="true" />
                <div>
                  <strong>{e.custodyTypes[c.type] ?? c.type}</strong> · {c.actor}
                  {c.party ? ` (${c.party})` : ''} · <time title={utcTitle(c.at)}>{formatInstant(c.at, language)}</time>
                </div>
                {c.purpose && <div className="ev-purpose-text">“{c.purpose}”</div>}
                {c.summary && <div className="muted ev-small">{c.summary}</div>}
              </li>
            ))}
          </ol>
        </section>
      </div>

      <div className="ev-detail-grid">
        <section>
          <h3>{e.detail.verifications}</h3>
          {item.verificationRecords.length === 0 && <p className="muted">{e.detail.noVerifications}</p>}
          {item.verificationRecords.map((v) => (
            <article key={v.id} className={`ev-record ev-conclusion-${v.conclusion}`}>
              <header>
                <span className="ev-chip">{e.verify.kinds[v.kind] ?? v.kind}</span>{' '}
                <strong>{e.verify.conclusions[v.conclusion] ?? v.conclusion}</strong> · {v.analyst} · {v.performedOn}
              </header>
              <p className="ev-small">
                <em>{v.method}</em>
              </p>
              <p>{v.finding}</p>
            </article>
          ))}
          {canAnalyse && <VerificationForm id={item.id} onDone={after} />}
          {canGovern && <CustodyForm item={item} purpose={purpose} onDone={after} />}
        </section>
        <section>
          <h3>{e.detail.challenges}</h3>
          {item.challengeRecords.length === 0 && <p className="muted">{e.detail.noChallenges}</p>}
          {item.challengeRecords.map((c) => (
            <article key={c.id} className={`ev-record ev-${c.kind}`}>
              <header>
                <span className="ev-chip">{e.challenge.kinds[c.kind] ?? c.kind}</span> {partyName(parties, c.party)} · {c.by} ·{' '}
                {formatInstant(c.at, language)}
                {c.refersTo && <span className="muted"> · {e.detail.refersTo(c.refersTo)}</span>}
              </header>
              <p>{c.text}</p>
            </article>
          ))}
          {canChallenge && <ChallengeForm item={item} onDone={after} />}
          <h3>{e.detail.derivatives}</h3>
          {item.derivativeItems.length === 0 && <p className="muted">{e.detail.noDerivatives}</p>}
          <ul className="ev-derivatives">
            {item.derivativeItems.map((d) => (
              <li key={d.id}>
                <button type="button" className="ev-link" onClick={() => onSelect(d.id)}>
                  {d.file.filename}
                </button>{' '}
                <span className="muted ev-small">
                  {e.derive.actions[d.parent?.action ?? ''] ?? d.parent?.action} · {d.parent?.description}{' '}
                  {d.published && <span className="ev-chip ev-chip-public">{e.list.published}</span>}
                </span>
              </li>
            ))}
          </ul>
          {canDerive && item.kind === 'original' && <DerivativeForm parent={item.id} onDone={after} />}
        </section>
      </div>
    </aside>
  );
}

/** Place and time as each source gives them, and a small plot of where they put the capture. */
function SourcesView({ item }: { readonly item: ItemDetail }) {
  const e = useEvidenceT();
  const { language } = useLanguage();
  const c = item.capture!;
  const flagged = new Set(item.flags.map((f) => f.code));
  const exifTime = c.exif?.takenAt ? `${c.exif.takenAt}${c.exif.offset ? ` ${c.exif.offset}` : ''}` : '—';
  const place = (p: { lon: number; lat: number } | null | undefined, accuracy?: number) =>
    p ? `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}${accuracy !== undefined ? ` ±${Math.round(accuracy)} m` : ''}` : '—';
  const frame = placeFrame(c.position, c.exif?.position ?? null);
  return (
    <>
      <h3>{e.detail.sources}</h3>
      <table className="ev-table ev-sources">
        <thead>
          <tr>
            <th>{e.detail.source}</th>
            <th>{e.detail.time}</th>
            <th>{e.detail.place}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{e.detail.device}</th>
            <td className={flagged.has('device-time-after-receipt') ? 'ev-flagged' : undefined}>
              {c.deviceTime ? formatInstant(c.deviceTime, language) : '—'}
            </td>
            <td>{place(c.position, c.position?.accuracy_m)}</td>
          </tr>
          <tr>
            <th scope="row">{e.detail.camera}</th>
            <td className={flagged.has('exif-time-differs') ? 'ev-flagged' : undefined}>{exifTime}</td>
            <td className={flagged.has('exif-position-differs') ? 'ev-flagged' : undefined}>{place(c.exif?.position)}</td>
          </tr>
          <tr>
            <th scope="row">{e.detail.server}</th>
            <td>{formatInstant(c.receivedAt, language)}</td>
            <td>—</td>
          </tr>
        </tbody>
      </table>
      {frame && (
        <svg className="ev-plot" viewBox="0 0 200 120" role="img" aria-label={`${Math.round(distanceM(c.position!, c.exif!.position!))} m`}>
          <circle cx={frame.device.x} cy={frame.device.y} r={frame.accuracy} className="ev-plot-accuracy" />
          <circle cx={frame.device.x} cy={frame.device.y} r={3.5} className="ev-plot-device" />
          <path d={`M${frame.exif.x - 4},${frame.exif.y - 4} l8,8 m0,-8 l-8,8`} className="ev-plot-exif" />
          <line x1={frame.device.x} y1={frame.device.y} x2={frame.exif.x} y2={frame.exif.y} className="ev-plot-line" />
          <text x={6} y={114}>
            {e.detail.device} ● · {e.detail.camera} ✕ · {frame.label}
          </text>
        </svg>
      )}
      {item.flags.length === 0 ? (
        <p className="ev-match">✓ {e.detail.noFlags}</p>
      ) : (
        <div className="ev-flags" role="note">
          <strong>⚑ {e.detail.flags}</strong>
          <ul>
            {item.flags.map((f) => (
              <li key={f.code}>{f.message}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function VerificationForm({ id, onDone }: { readonly id: string; readonly onDone: () => Promise<void> }) {
  const e = useEvidenceT();
  const api = useApi();
  const [kind, setKind] = useState('technical');
  const [performedOn, setPerformedOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [method, setMethod] = useState('');
  const [finding, setFinding] = useState('');
  const [conclusion, setConclusion] = useState('consistent');
  const [problem, setProblem] = useState<string | null>(null);
  async function save(event: FormEvent) {
    event.preventDefault();
    const r = await recordVerification(api, id, { kind, performedOn, method, finding, conclusion });
    if (!r.ok) return setProblem(r.problem.detail);
    setMethod('');
    setFinding('');
    setProblem(null);
    await onDone();
  }
  return (
    <details className="ev-subform">
      <summary>{e.verify.title}</summary>
      <form onSubmit={(ev) => void save(ev)} className="ev-form">
        <label htmlFor="ev-v-kind">{e.verify.kind}</label>
        <select id="ev-v-kind" value={kind} onChange={(ev) => setKind(ev.target.value)}>
          {Object.entries(e.verify.kinds).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <label htmlFor="ev-v-date">{e.verify.performedOn}</label>
        <input id="ev-v-date" type="date" value={performedOn} onChange={(ev) => setPerformedOn(ev.target.value)} />
        <label htmlFor="ev-v-method">{e.verify.method}</label>
        <input id="ev-v-method" value={method} onChange={(ev) => setMethod(ev.target.value)} />
        <label htmlFor="ev-v-finding">{e.verify.finding}</label>
        <textarea id="ev-v-finding" rows={2} value={finding} onChange={(ev) => setFinding(ev.target.value)} />
        <label htmlFor="ev-v-conclusion">{e.verify.conclusion}</label>
        <select id="ev-v-conclusion" value={conclusion} onChange={(ev) => setConclusion(ev.target.value)}>
          {Object.entries(e.verify.conclusions).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        {problem && <p className="ev-problem">{problem}</p>}
        <button type="submit">{e.verify.save}</button>
      </form>
    </details>
  );
}

function ChallengeForm({ item, onDone }: { readonly item: ItemDetail; readonly onDone: () => Promise<void> }) {
  const e = useEvidenceT();
  const api = useApi();
  const [kind, setKind] = useState('challenge');
  const [refersTo, setRefersTo] = useState('');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  async function save(event: FormEvent) {
    event.preventDefault();
    const r = await recordChallenge(api, item.id, { kind, refersTo: refersTo || null, text });
    if (!r.ok) return setProblem(r.problem.detail);
    setText('');
    setProblem(null);
    await onDone();
  }
  return (
    <details className="ev-subform">
      <summary>{e.challenge.title}</summary>
      <form onSubmit={(ev) => void save(ev)} className="ev-form">
        <label htmlFor="ev-c-kind">{e.challenge.kind}</label>
        <select id="ev-c-kind" value={kind} onChange={(ev) => setKind(ev.target.value)}>
          {Object.entries(e.challenge.kinds).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <label htmlFor="ev-c-ref">{e.challenge.refersTo}</label>
        <select id="ev-c-ref" value={refersTo} onChange={(ev) => setRefersTo(ev.target.value)}>
          <option value="">{e.challenge.item}</option>
          {[
            ...item.verificationRecords.map((v) => ({ id: v.id, label: `${e.verify.kinds[v.kind] ?? v.kind}: ${v.finding.slice(0, 40)}` })),
            ...item.challengeRecords.map((c) => ({ id: c.id, label: `${c.party ?? c.by}: ${c.text.slice(0, 40)}` })),
          ].map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        <label htmlFor="ev-c-text">{e.challenge.text}</label>
        <textarea id="ev-c-text" rows={2} value={text} onChange={(ev) => setText(ev.target.value)} />
        {problem && <p className="ev-problem">{problem}</p>}
        <button type="submit">{e.challenge.save}</button>
      </form>
    </details>
  );
}

function DerivativeForm({ parent, onDone }: { readonly parent: string; readonly onDone: () => Promise<void> }) {
  const e = useEvidenceT();
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [action, setAction] = useState('redaction');
  const [description, setDescription] = useState('');
  const [pct, setPct] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function save(event: FormEvent) {
    event.preventDefault();
    if (!file) return setProblem(e.submit.choose);
    const sha256 = await sha256Of(file);
    const session = await api.getSession();
    try {
      const upload = await uploadFile(file, file.name, session.ok ? session.value.csrfToken : null, (sent, total) =>
        setPct(Math.round((sent / Math.max(total, 1)) * 100)),
      );
      const r = await submitDerivative(api, parent, {
        upload,
        sha256,
        filename: file.name,
        mediaType: file.type,
        action,
        description,
        purpose: `${action} for publication`,
      });
      if (!r.ok) return setProblem(r.problem.detail);
      setProblem(null);
      setPct(null);
      await onDone();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }
  return (
    <details className="ev-subform">
      <summary>{e.derive.title}</summary>
      <form onSubmit={(ev) => void save(ev)} className="ev-form">
        <input type="file" aria-label={e.submit.file} onChange={(ev) => setFile(ev.target.files?.[0] ?? null)} />
        <label htmlFor="ev-d-action">{e.derive.action}</label>
        <select id="ev-d-action" value={action} onChange={(ev) => setAction(ev.target.value)}>
          {Object.entries(e.derive.actions).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <label htmlFor="ev-d-description">{e.derive.description}</label>
        <input id="ev-d-description" value={description} onChange={(ev) => setDescription(ev.target.value)} />
        {pct !== null && (
          <div className="ev-bar" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <span className="ev-bar-fill" style={{ width: `${pct}%` }} />
          </div>
        )}
        {problem && <p className="ev-problem">{problem}</p>}
        <button type="submit">{e.derive.save}</button>
      </form>
    </details>
  );
}

/** Who may read the item and who holds it: each change is a custody event with the page's purpose. */
function CustodyForm({
  item,
  purpose,
  onDone,
}: {
  readonly item: ItemDetail;
  readonly purpose: string;
  readonly onDone: () => Promise<void>;
}) {
  const e = useEvidenceT();
  const api = useApi();
  const { parties } = useSession();
  const [party, setParty] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const choices = [...(parties?.values() ?? [])];
  const reads = party !== '' && item.readers.includes(`party:${party}`);
  async function act(kind: 'grant' | 'revoke' | 'transfer') {
    if (!party) return;
    const r =
      kind === 'transfer'
        ? await transferCustody(api, item.id, { to: party, purpose })
        : await changeAccess(api, item.id, {
            grant: kind === 'grant' ? [`party:${party}`] : [],
            revoke: kind === 'revoke' ? [`party:${party}`] : [],
            purpose,
          });
    setMessage(r.ok ? { ok: true, text: e.custodyForm.done } : { ok: false, text: r.problem.detail });
    if (r.ok) await onDone();
  }
  return (
    <details className="ev-subform">
      <summary>{e.custodyForm.title}</summary>
      <div className="ev-form">
        <label htmlFor="ev-g-party">{e.custodyForm.party}</label>
        <select id="ev-g-party" value={party} onChange={(ev) => setParty(ev.target.value)}>
          <option value="">—</option>
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <div className="ev-actions">
          <button type="button" disabled={!party || reads} onClick={() => void act('grant')}>
            {e.custodyForm.grant}
          </button>
          <button type="button" className="ev-secondary" disabled={!party || !reads} onClick={() => void act('revoke')}>
            {e.custodyForm.revoke}
          </button>
          <button type="button" className="ev-secondary" disabled={!party || party === item.custodian} onClick={() => void act('transfer')}>
            {e.custodyForm.transfer}
          </button>
        </div>
        {message && <p className={message.ok ? 'ev-match' : 'ev-problem'}>{message.text}</p>}
      </div>
    </details>
  );
}
