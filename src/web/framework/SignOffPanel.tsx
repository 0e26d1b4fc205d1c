import { useEffect, useRef, useState } from 'react';
import type { Framework } from '../../core/framework/model';
import { newIdempotencyKey, signFramework, type ApiProblem, type FrameworkOverview, type PartySignOff } from '../api';
import { shortHash, utcTitle } from '../format';
import { useT } from '../i18n';
import { partyName, useApi, useSession, useUser } from '../session';
import { formatDay, formatMoment } from './dates';
import { partyDirectory } from './document';

/** A hash in groups of eight, easier to compare by eye; copying it still gives the 64 characters unbroken. */
export function GroupedHash({ hash, className = '' }: { readonly hash: string; readonly className?: string }) {
  const groups = hash.match(/.{1,8}/g) ?? [hash];
  return (
    <code className={`fw-hash ${className}`} data-hash={hash}>
      {groups.map((g, i) => (
        <span key={i}>{g}</span>
      ))}
    </code>
  );
}

interface SignOffPanelProps {
  readonly overview: FrameworkOverview;
  /** The current version's document, for the parties' names and short names (null while it loads). */
  readonly currentDocument: Framework | null;
  /** The version on screen: the signer is warned when it is not the one they sign. */
  readonly reading: number | null;
  readonly onSigned: () => void;
}

/**
 * "Same script": green only when every required party signed the current hash. Per party: what it
 * signed, by whom and when. A signer signs the current version for their own party, after a
 * confirmation that quotes the hash.
 */
export function SignOffPanel({ overview, currentDocument, reading, onSigned }: SignOffPanelProps) {
  const t = useT();
  const s = t.framework.signOff;
  const { parties: sessionParties } = useSession();
  const user = useUser();
  const { signOff, inForce } = overview;
  const directory = currentDocument ? partyDirectory(currentDocument) : null;
  const language = t.meta.locale.split('-')[0]!;
  const nameOf = (id: string) => directory?.name(id, language) ?? partyName(sessionParties, id) ?? id;
  const shortOf = (id: string) => directory?.short(id) ?? id.toUpperCase();
  const total = signOff.parties.length;
  const signed = signOff.parties.filter((p) => p.state === 'current').length;
  const current = signOff.currentVersion;
  const hash = signOff.currentHash;

  return (
    <section className="panel fw-signoff" aria-labelledby="fw-signoff-title" data-same-script={signOff.sameScript}>
      <div className="fw-signoff-summary">
        <h2 id="fw-signoff-title" className="fw-eyebrow">
          {s.title}
        </h2>
        <p
          className="fw-same-script"
          data-state={signOff.sameScript ? 'yes' : 'no'}
          role="status"
          aria-live="polite"
          data-testid="same-script"
        >
          <span className="fw-same-script-icon" aria-hidden="true">
            {signOff.sameScript ? (
              <svg viewBox="0 0 20 20" width="22" height="22">
                <path
                  d="m5 10.5 3.2 3.2L15 6.8"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2.2"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
            ) : (
              <svg viewBox="0 0 20 20" width="22" height="22">
                <path d="M10 5.5v5.5M10 14.2v.1" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
              </svg>
            )}
          </span>
          <span>{signOff.sameScript ? s.sameScript : s.notSameScript}</span>
        </p>
        {current === null || hash === null ? (
          <p>{s.noVersion}</p>
        ) : (
          <>
            <p className="fw-signoff-count">{signOff.sameScript ? s.allSigned(total, current) : s.someSigned(signed, total, current)}</p>
            <p className="fw-signoff-intro">{s.intro}</p>
            {signOff.missing.length > 0 && (
              <p className="fw-signoff-missing">
                {s.missingList}{' '}
                {signOff.missing.map((id) => (
                  <abbr key={id} className="fw-party-code" title={nameOf(id)} data-party={id}>
                    {shortOf(id)}
                  </abbr>
                ))}
              </p>
            )}
            <HashLine hash={hash} version={current} />
            <p className="fw-signoff-force">
              {inForce ? (
                <span title={utcTitle(inForce.since)}>{s.inForce(inForce.number, formatDay(inForce.since, t.meta.locale))}</span>
              ) : (
                s.noneInForce
              )}
            </p>
            {user.roles.includes('signer') && (
              <SignAction
                party={user.party}
                partyLabel={user.party ? nameOf(user.party) : ''}
                row={signOff.parties.find((p) => p.party === user.party) ?? null}
                version={current}
                hash={hash}
                note={overview.versions.find((v) => v.number === current)?.note ?? ''}
                reading={reading}
                onSigned={onSigned}
              />
            )}
          </>
        )}
      </div>

      <div className="fw-signoff-table-wrap">
        <table className="fw-signoff-table" aria-label={s.tableLabel}>
          <thead>
            <tr>
              <th scope="col">{s.columns.party}</th>
              <th scope="col">{s.columns.state}</th>
              <th scope="col">
                {s.columns.signer} · {s.columns.when}
              </th>
            </tr>
          </thead>
          <tbody>
            {signOff.parties.map((p) => (
              <PartyRow
                key={p.party}
                row={p}
                name={nameOf(p.party)}
                short={shortOf(p.party)}
                own={p.party === user.party}
                current={current}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PartyRow({
  row,
  name,
  short,
  own,
  current,
}: {
  row: PartySignOff;
  name: string;
  short: string;
  own: boolean;
  current: number | null;
}) {
  const t = useT();
  const s = t.framework.signOff;
  const state =
    row.state === 'current'
      ? s.states.current(row.signedVersion ?? current ?? 0)
      : row.state === 'outdated'
        ? s.states.outdated(row.signedVersion)
        : s.states.unsigned;
  return (
    <tr data-party={row.party} data-state={row.state} className={own ? 'fw-own-party' : undefined}>
      <th scope="row">
        <span className="fw-party-code">{short}</span> <span className="fw-party-name">{name}</span>
        {own && <span className="fw-you">{s.you}</span>}
      </th>
      <td>
        <span className="fw-sign-state" data-state={row.state} title={row.signedHash ?? undefined}>
          <span className="fw-sign-icon" aria-hidden="true">
            {row.state === 'current' ? '✓' : row.state === 'outdated' ? '!' : '–'}
          </span>
          {state}
        </span>
      </td>
      <td className="fw-signer">
        {row.signer ?? '—'}
        {row.signedAt && (
          <time className="fw-when" dateTime={row.signedAt} title={utcTitle(row.signedAt)}>
            {formatMoment(row.signedAt, t.meta.locale)}
          </time>
        )}
      </td>
    </tr>
  );
}

function HashLine({ hash, version }: { readonly hash: string; readonly version: number }) {
  const t = useT();
  const s = t.framework.signOff;
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (copied === 'idle') return;
    const timer = setTimeout(() => setCopied('idle'), 2500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return setCopied('failed');
    clipboard.writeText(hash).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
  return (
    <div className="fw-hash-line">
      <p className="fw-hash-label" id="fw-current-hash-label">
        {s.hashLabel} · {t.framework.versions.name(version)}
      </p>
      <div className="fw-hash-row">
        <GroupedHash hash={hash} className="fw-hash-full" />
        <button type="button" className="button button-small" onClick={copy} aria-describedby="fw-current-hash-label">
          {s.copy}
        </button>
      </div>
      <p className="fw-copy-status" role="status">
        {copied === 'copied' ? s.copied : copied === 'failed' ? s.copyFailed : ''}
      </p>
    </div>
  );
}

function SignAction({
  party,
  partyLabel,
  row,
  version,
  hash,
  note,
  reading,
  onSigned,
}: {
  readonly party: string | null;
  readonly partyLabel: string;
  readonly row: PartySignOff | null;
  readonly version: number;
  readonly hash: string;
  readonly note: string;
  readonly reading: number | null;
  readonly onSigned: () => void;
}) {
  const t = useT();
  const s = t.framework.signOff;
  const api = useApi();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [signing, setSigning] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<{ position: number } | null>(null);
  // One key per confirmation: a retried click returns the first answer instead of signing twice.
  const key = useRef(newIdempotencyKey());
  // The hash quoted in the dialog is the one signed, even if a new version arrives while it is open.
  const [quoted, setQuoted] = useState({ version, hash, note });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // A signature cannot be withdrawn: the focus starts on the way out, not on the way in.
      dialog.querySelector<HTMLButtonElement>('.fw-dialog-cancel')?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  if (!party) return <p className="fw-sign-note">{s.noParty}</p>;
  if (!row) return <p className="fw-sign-note">{s.notSignatory(partyLabel)}</p>;

  const start = () => {
    key.current = newIdempotencyKey();
    setQuoted({ version, hash, note });
    setProblem(null);
    setDone(null);
    setOpen(true);
  };

  const confirm = async () => {
    setSigning(true);
    const result = await signFramework(api, quoted.hash, key.current);
    setSigning(false);
    setOpen(false);
    openerRef.current?.focus();
    if (result.ok) {
      setDone({ position: result.value.position });
      onSigned();
    } else {
      setProblem(result.problem);
    }
  };

  return (
    <div className="fw-sign">
      {row.state === 'current' ? (
        <p className="fw-sign-done">
          <span aria-hidden="true">✓ </span>
          {s.youSigned(partyLabel, version)}
        </p>
      ) : (
        <button ref={openerRef} type="button" className="button button-primary fw-sign-button" onClick={start}>
          {s.sign(version, shortHash(hash, 8))}
        </button>
      )}
      <div role="status" className="fw-sign-status">
        {done && s.signed(done.position)}
      </div>
      {problem && (
        <div className="notice notice-error fw-sign-problem" role="alert">
          <p>
            <strong>{s.failed}</strong> {problem.code === 'network' ? t.errors.network : <WithHashes text={problem.detail} />}
          </p>
        </div>
      )}
      <dialog
        ref={dialogRef}
        className="fw-dialog"
        aria-labelledby="fw-sign-dialog-title"
        aria-describedby="fw-sign-dialog-body"
        onClose={() => setOpen(false)}
      >
        <h2 id="fw-sign-dialog-title">{s.confirmTitle(quoted.version)}</h2>
        <div id="fw-sign-dialog-body" className="fw-dialog-body">
          <p>{s.confirmBody}</p>
          <dl className="fw-dialog-facts">
            <div>
              <dt>{s.confirmParty}</dt>
              <dd>{partyLabel}</dd>
            </div>
            <div>
              <dt>{s.confirmVersion}</dt>
              <dd>{quoted.note ? `${quoted.version} — ${quoted.note}` : quoted.version}</dd>
            </div>
            <div>
              <dt>{s.confirmHash}</dt>
              <dd>
                <GroupedHash hash={quoted.hash} className="fw-hash-quoted" />
              </dd>
            </div>
          </dl>
          {reading !== null && reading !== quoted.version && <p className="fw-dialog-warning">{s.confirmNotReading(reading)}</p>}
          <p className="fw-dialog-check">{s.confirmCheck}</p>
        </div>
        <div className="fw-dialog-actions">
          <button type="button" className="button fw-dialog-cancel" onClick={() => setOpen(false)} disabled={signing}>
            {s.cancel}
          </button>
          <button type="button" className="button button-primary" onClick={() => void confirm()} disabled={signing}>
            {signing ? s.signing : s.confirm}
          </button>
        </div>
      </dialog>
    </div>
  );
}

/** A server message with the hashes it names set in monospace, so that they can be compared with the ones on screen. */
function WithHashes({ text }: { readonly text: string }) {
  const parts = text.split(/([0-9a-f]{64})/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="fw-hash-inline">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
