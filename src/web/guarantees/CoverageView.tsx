import { useEffect, useMemo, useState } from 'react';
import { checkCoverage, type CoverageFinding, type CoverageReport } from '../../core/guarantees/coverage';
import { REPORT_TYPES } from '../../core/operations/model';
import { getCoverage, type ApiProblem } from '../api';
import { documentOf, problemOf, useFrameworkOverview, useVersionDocuments } from '../framework/use-framework';
import { useT } from '../i18n';
import { useApi } from '../session';
import {
  blockingCounts,
  cellKey,
  cellStatus,
  clauseHref,
  CELL_STATUSES,
  domainGrids,
  findingCellKeys,
  findingsOf,
  sortFindings,
} from './heatmap';

type Source = { readonly from: 'server' | 'browser'; readonly report: CoverageReport };

/**
 * The coverage heatmap of one framework version: pick the text (which alternative of each bracketed
 * clause), see who leads and who backs up on every relevant cell, and walk the findings to their clause.
 * The server's report is used when the server offers it; otherwise the same pure check runs here on
 * the version's document, so the page works against a server without the coverage route.
 */
export function CoverageView() {
  const t = useT();
  const g = t.guarantees.coverage;
  const api = useApi();
  const { overview, problem: overviewProblem } = useFrameworkOverview();
  const { entries, request } = useVersionDocuments();
  const current = overview?.signOff.currentVersion ?? overview?.versions.at(-1)?.number ?? null;
  const [chosenVersion, setChosenVersion] = useState<number | null>(null);
  const version = chosenVersion ?? current;
  const [fromServer, setFromServer] = useState<ReadonlyMap<number, CoverageReport | 'unavailable'>>(new Map());
  const [variant, setVariant] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);

  useEffect(() => {
    if (version === null || fromServer.has(version)) return;
    let live = true;
    void getCoverage(api, version).then((r) => {
      if (!live) return;
      setFromServer((m) => new Map(m).set(version, r.ok ? r.value : 'unavailable'));
    });
    return () => {
      live = false;
    };
  }, [api, version, fromServer]);

  const serverAnswer = version !== null ? fromServer.get(version) : undefined;
  useEffect(() => {
    if (version !== null && serverAnswer === 'unavailable') request(version);
  }, [version, serverAnswer, request]);

  const entry = version !== null ? entries.get(version) : undefined;
  const doc = documentOf(entry)?.document ?? null;
  const source = useMemo<Source | null>(() => {
    if (serverAnswer && serverAnswer !== 'unavailable') return { from: 'server', report: serverAnswer };
    if (serverAnswer === 'unavailable' && doc)
      return { from: 'browser', report: checkCoverage(doc, { breachTypeVocabulary: REPORT_TYPES }) };
    return null;
  }, [serverAnswer, doc]);
  const problem: ApiProblem | null = overviewProblem ?? problemOf(entry);

  const report = source?.report ?? null;
  const matrices = report?.matrices ?? [];
  const counts = useMemo(() => (report ? blockingCounts(report) : new Map<string, number>()), [report]);
  // Until the reader picks a text, show the first one that cannot be signed: the holes are what this page is for.
  const matrix =
    matrices.find((m) => m.variant === variant) ?? matrices.find((m) => (counts.get(m.variant) ?? 0) > 0) ?? matrices[0] ?? null;
  const findings = useMemo(() => (report && matrix ? sortFindings(findingsOf(report, matrix.variant)) : []), [report, matrix]);
  const elsewhere = report && matrix ? report.findings.length - findings.length : 0;
  const grids = useMemo(() => (matrix ? domainGrids(matrix) : []), [matrix]);
  const active = hovered ?? selected;
  const lit = useMemo(
    () => (active !== null && findings[active] ? findingCellKeys(findings[active]) : new Set<string>()),
    [active, findings],
  );

  if (overview && current === null) return <p className="notice notice-info">{g.noVersion}</p>;
  if (problem && !report)
    return (
      <div className="notice notice-error" role="alert">
        <p>
          {g.loadFailed} {problem.code === 'network' ? t.errors.network : problem.detail}
        </p>
      </div>
    );
  if (!overview || !report || !matrix || version === null) return <p className="loading">{g.loading}</p>;

  const linkVersion = version === current ? null : version;
  const chooseVariant = (label: string) => {
    setVariant(label);
    setSelected(null);
    setHovered(null);
  };

  return (
    <div className="gu-coverage">
      <div className="gu-toolbar">
        <label className="gu-pick">
          <span>{g.version}</span>
          <select
            value={version}
            onChange={(e) => {
              setChosenVersion(Number(e.target.value));
              setVariant(null);
              setSelected(null);
            }}
          >
            {overview.versions.map((v) => (
              <option key={v.number} value={v.number}>
                {g.versionOption(v.number, v.number === current)}
              </option>
            ))}
          </select>
        </label>
        {matrices.length > 1 && (
          <label className="gu-pick">
            <span>{g.variant}</span>
            <select value={matrix.variant} onChange={(e) => chooseVariant(e.target.value)} data-testid="variant-picker">
              {matrices.map((m) => {
                const blocking = counts.get(m.variant) ?? 0;
                return (
                  <option key={m.variant} value={m.variant}>
                    {m.variant}
                    {blocking > 0 ? ` — ${g.blockingInText(blocking)}` : ''}
                  </option>
                );
              })}
            </select>
          </label>
        )}
      </div>
      <p className={`notice ${report.blocking ? 'notice-error' : 'notice-info'} gu-verdict`}>{report.blocking ? g.blocking : g.ready}</p>

      <div className="gu-coverage-body">
        <section className="gu-matrix" aria-label={g.matrixCaption(matrix.variant)}>
          <ul className="gu-legend" aria-label={g.legend}>
            {CELL_STATUSES.map((s) => (
              <li key={s}>
                <span className={`gu-swatch gu-cell-${s}`} aria-hidden="true" />
                {g.status[s]}
              </li>
            ))}
          </ul>
          {grids.map((grid) => (
            <div className="gu-grid-wrap" key={grid.domain}>
              <table className="gu-grid" data-domain={grid.domain}>
                <caption>{t.guarantees.domains[grid.domain] ?? grid.domain}</caption>
                <thead>
                  <tr>
                    <th scope="col">{g.breachType}</th>
                    {grid.zones.map((z) => (
                      <th scope="col" key={z ?? ''}>
                        {z ?? g.anywhere}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {grid.breachTypes.map((type, row) => (
                    <tr key={type}>
                      <th scope="row">{type}</th>
                      {grid.cells[row]!.map((cell, column) => {
                        if (!cell) return <td key={column} className="gu-cell gu-cell-none" />;
                        const status = cellStatus(cell);
                        const key = cellKey(cell);
                        const leads = [...new Set(cell.leads.map((l) => l.party))];
                        const backups = [...new Set(cell.backups.map((b) => b.party))];
                        const summary = `${type} × ${cell.domain} × ${cell.zone ?? g.anywhere}: ${g.status[status]}`;
                        return (
                          <td
                            key={column}
                            className={`gu-cell gu-cell-${status}${lit.has(key) ? ' gu-lit' : ''}`}
                            data-cell={key}
                            data-status={status}
                            title={summary}
                          >
                            <span className="visually-hidden">{g.status[status]}: </span>
                            {leads.length === 0 ? (
                              <span className="gu-none">{g.none}</span>
                            ) : (
                              <span className="gu-lead" title={`${g.lead}: ${leads.join(', ')}`}>
                                {leads.join(' + ')}
                              </span>
                            )}
                            {backups.length > 0 && (
                              <span className="gu-backup" title={`${g.backup}: ${backups.join(', ')}`}>
                                {' / '}
                                {backups.join(' + ')}
                              </span>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
          {source?.from === 'browser' && <p className="gu-note">{g.computedHere}</p>}
        </section>

        <section className="gu-findings" aria-labelledby="gu-findings-title">
          <h2 id="gu-findings-title">{g.findings(findings.length)}</h2>
          <ol className="gu-finding-list">
            {findings.map((f, i) => (
              <FindingItem
                key={`${f.code}|${f.message}`}
                finding={f}
                selected={selected === i}
                onSelect={() => setSelected(selected === i ? null : i)}
                onHover={(on) => setHovered(on ? i : null)}
                version={linkVersion}
              />
            ))}
          </ol>
          {elsewhere > 0 && <p className="gu-note">{g.otherFindings(elsewhere)}</p>}
        </section>
      </div>
    </div>
  );
}

function FindingItem({
  finding,
  selected,
  onSelect,
  onHover,
  version,
}: {
  readonly finding: CoverageFinding;
  readonly selected: boolean;
  readonly onSelect: () => void;
  readonly onHover: (on: boolean) => void;
  readonly version: number | null;
}) {
  const g = useT().guarantees.coverage;
  return (
    <li
      className={`gu-finding gu-finding-${finding.severity}${selected ? ' gu-finding-selected' : ''}`}
      data-code={finding.code}
      onMouseEnter={() => onHover(true)}
      onMouseLeave={() => onHover(false)}
      onFocus={() => onHover(true)}
      onBlur={() => onHover(false)}
    >
      <p className="gu-finding-head">
        <span className={`gu-badge gu-badge-${finding.severity}`}>{g.code[finding.code]}</span>
        <span className="gu-severity">{g.severity[finding.severity]}</span>
      </p>
      <p className="gu-finding-message">{finding.message}</p>
      <p className="gu-finding-actions">
        {finding.clauses.map((clause, i) => (
          <a key={clause} href={clauseHref(clause, version)} className={i === 0 ? 'gu-clause-link gu-primary' : 'gu-clause-link'}>
            {g.openClause(clause)}
          </a>
        ))}
        {finding.cells.length > 0 && (
          <button type="button" className="button button-small" aria-pressed={selected} onClick={onSelect}>
            {g.showCells}
          </button>
        )}
      </p>
    </li>
  );
}
