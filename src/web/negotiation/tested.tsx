import { formatInstant } from '../format';
import { useLanguage } from '../i18n';
import type { TestedClause } from './api';
import { useNegotiationT } from './messages';

type Comparison = TestedClause['comparisons'][number];

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * The console's section on clauses whose alternatives have stress-test results attached: each clause
 * (a link to its detail, where the full comparison sits), its current gap, and per comparison the
 * headline finding and the breaches falling in a coverage gap per alternative, drawn as bars so the
 * alternative that leaves gaps stands out before anyone reads a number.
 */
export function TestedClauses({ tested, onOpen }: { readonly tested: readonly TestedClause[]; readonly onOpen: (clause: string) => void }) {
  const n = useNegotiationT();
  return (
    <div className="ng-tested" data-testid="console-tested">
      <h3>{n.console.tested}</h3>
      {tested.length === 0 ? (
        <p className="muted">{n.console.testedNone}</p>
      ) : (
        <ul className="ng-tested-list">
          {tested.map((t) => (
            <li key={t.clause} className="ng-tested-clause" data-tested={t.clause}>
              <div className="ng-tested-head">
                <button
                  type="button"
                  className="ng-clause-link"
                  aria-label={n.console.openTested(t.clause)}
                  onClick={() => onOpen(t.clause)}
                >
                  {t.title}
                  <span className="ng-clause-id">{t.clause}</span>
                </button>
                {t.gap && (
                  <span className="ng-tested-gap">
                    {n.gapMap.spread(t.gap.spread)}
                    {t.gap.blocks > 0 && <> · {n.gapMap.blocks(t.gap.blocks)}</>}
                  </span>
                )}
              </div>
              {t.comparisons.map((c) => (
                <TestedComparison key={c.id} comparison={c} />
              ))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const ROW = 20;
const LABEL_W = 28;
const BAR_W = 150;
const VALUE_W = 110;

function TestedComparison({ comparison: c }: { readonly comparison: Comparison }) {
  const n = useNegotiationT();
  const { language } = useLanguage();
  const most = Math.max(...c.arms.map((a) => a.gapBreachesPerRun));
  const fewest = Math.min(...c.arms.map((a) => a.gapBreachesPerRun));
  const width = LABEL_W + BAR_W + VALUE_W;
  return (
    <div className="ng-tested-comparison" data-comparison={c.id}>
      <p className="muted ng-tested-run">
        {n.console.testedRun(c.scenario, c.runs, c.seed)} · {formatInstant(c.attachedAt, language)}
      </p>
      {c.headline && <p className="ng-tested-headline">{c.headline}</p>}
      <figure className="ng-tested-chart">
        <figcaption className="muted">{n.console.gapBreaches}</figcaption>
        <svg
          viewBox={`0 0 ${width} ${c.arms.length * ROW}`}
          width={width}
          height={c.arms.length * ROW}
          role="img"
          aria-label={n.console.gapBreaches}
        >
          {c.arms.map((a, i) => {
            const y = i * ROW;
            const w = most > 0 ? Math.max((a.gapBreachesPerRun / most) * BAR_W, a.gapBreachesPerRun > 0 ? 2 : 0) : 0;
            // Only a difference is worth a colour: the alternative with fewer gap breaches is marked better.
            const tone = most === fewest ? 'same' : a.gapBreachesPerRun === fewest ? 'better' : 'worse';
            const label = a.label;
            return (
              <g key={a.alternative} data-arm={a.alternative} data-gap-breaches={a.gapBreachesPerRun} className={`ng-arm ng-arm-${tone}`}>
                <title>{n.console.gapBar(label, String(a.gapBreachesPerRun), percent(a.gapShare), percent(a.reachedShare))}</title>
                <text x={0} y={y + 14} className="ng-arm-label">
                  {label}
                </text>
                <rect x={LABEL_W} y={y + 4} width={BAR_W} height={ROW - 8} className="ng-arm-track" />
                {w > 0 && <rect x={LABEL_W} y={y + 4} width={w} height={ROW - 8} className="ng-arm-bar" />}
                <text x={LABEL_W + BAR_W + 6} y={y + 14} className="ng-arm-value">
                  {a.gapBreachesPerRun} ({percent(a.gapShare)})
                </text>
              </g>
            );
          })}
        </svg>
        <ul className="ng-tested-reach">
          {c.arms.map((a) => (
            <li key={a.alternative}>
              <strong>{a.label}</strong> {n.console.reached(percent(a.reachedShare))}
              {!a.open && <span className="muted"> · {n.console.resolved}</span>}
            </li>
          ))}
        </ul>
      </figure>
    </div>
  );
}
