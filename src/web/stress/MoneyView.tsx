/*
 * "Days of ceasefire held and the money that unlocks": per currency, the mean amount unlocked by each
 * day of the scenario; per tranche, how often and on which day it unlocks (p10–p90 band, p50 dot).
 * Amounts are shown as the exact decimal strings of the result; numbers only size the shapes.
 */
import type { MoneyMetrics } from './api';
import { pct } from './charts';
import { useStressT } from './messages';

const COLOURS = ['#1f5188', '#2e7d32', '#c2571a', '#6a1b9a', '#00838f'];

/** "27275000.00" → "27,275,000.00", on the string (a float would lose cents). */
export function grouped(amount: string): string {
  const [whole, fraction] = amount.split('.');
  const g = (whole ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? g : `${g}.${fraction}`;
}

const share = (v: string, of: string) => (Number(of) > 0 ? Number(v) / Number(of) : 0);

export function MoneyView({ money, days }: { readonly money: MoneyMetrics; readonly days: number }) {
  const t = useStressT();
  return (
    <div className="st-money" data-testid="stress-money">
      <h3>{t.result.moneyTitle}</h3>
      <p className="muted st-money-lead">{t.result.moneyLead}</p>
      <div className="st-money-grid">
        <figure>
          <figcaption>{t.result.byDay}</figcaption>
          <UnlockCurve money={money} days={days} />
        </figure>
        <ul className="st-tranches">
          {money.tranches.map((tr) => (
            <li key={tr.id} data-testid={`stress-tranche-${tr.id}`}>
              <div className="st-tranche-head">
                <b>{tr.label}</b>
                <span>
                  {tr.currency} {grouped(tr.amount)}
                </span>
              </div>
              <DayBand day={tr.day} days={days} share={tr.unlockedShare} />
              <div className="st-tranche-foot muted">
                {t.result.unlocksIn(pct(tr.unlockedShare))} ·{' '}
                {tr.day ? t.result.dayRange(tr.day.p10, tr.day.p50, tr.day.p90) : t.result.never} · {t.result.meanRun} {tr.currency}{' '}
                {grouped(tr.expected)}
              </div>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function UnlockCurve({ money, days }: { readonly money: MoneyMetrics; readonly days: number }) {
  const t = useStressT();
  const w = 360;
  const h = 160;
  const x = (i: number) => 30 + (i / Math.max(1, days - 1)) * (w - 38);
  const y = (s: number) => h - 20 - s * (h - 34);
  return (
    <>
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label={t.result.byDay} className="st-chart">
        <line x1={30} x2={w - 8} y1={h - 20} y2={h - 20} stroke="#c3cad3" />
        <line x1={30} x2={w - 8} y1={y(1)} y2={y(1)} stroke="#eef1f4" />
        <text x={2} y={y(1) + 4} fontSize="10">
          100%
        </text>
        <text x={30} y={h - 6} fontSize="10">
          {t.result.day} 1
        </text>
        <text x={w - 8} y={h - 6} fontSize="10" textAnchor="end">
          {days}
        </text>
        {money.currencies.map((c, k) => (
          <path
            key={c.currency}
            d={c.byDay.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(share(v, c.planned)).toFixed(1)}`).join('')}
            fill="none"
            stroke={COLOURS[k % COLOURS.length]}
            strokeWidth={2}
          />
        ))}
      </svg>
      <div className="st-legend st-money-legend">
        {money.currencies.map((c, k) => (
          <span key={c.currency} data-testid={`stress-money-${c.currency}`}>
            <i style={{ background: COLOURS[k % COLOURS.length] }} />
            <b>
              {c.currency} {grouped(c.expected)}
            </b>{' '}
            {t.result.of} {grouped(c.planned)}
          </span>
        ))}
      </div>
    </>
  );
}

/** The days on which a tranche unlocks: the p10–p90 band and the p50, on the scenario's length; its width says how often. */
function DayBand({
  day,
  days,
  share: unlocked,
}: {
  readonly day: { p10: number; p50: number; p90: number } | null;
  readonly days: number;
  readonly share: number;
}) {
  const w = 300;
  const x = (d: number) => (Math.min(days, Math.max(0, d)) / days) * w;
  return (
    <svg viewBox={`0 0 ${w} 14`} width="100%" height="14" preserveAspectRatio="none" aria-hidden="true" className="st-dayband">
      <rect x={0} y={5} width={w} height={4} fill="#eef1f4" />
      {day && (
        <>
          <rect
            x={x(day.p10)}
            y={2}
            width={Math.max(2, x(day.p90) - x(day.p10))}
            height={10}
            fill="#2e7d32"
            opacity={0.25 + 0.6 * unlocked}
          />
          <rect x={x(day.p50) - 1.5} y={0} width={3} height={14} fill="#1b4d1e" />
        </>
      )}
    </svg>
  );
}
