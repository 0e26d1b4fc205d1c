import type { Comparison } from './compare';
import type { Histogram, StressResult } from './metrics';
import { FATES, type Fate } from './simulate';

/**
 * The stress report as one self-contained HTML page: no script, no outside file, the plots drawn as
 * inline SVG — it can be mailed, archived next to the JSON, and opened offline. Pure: result in, text out.
 */

export interface ReportArm {
  readonly label: string | null;
  readonly result: StressResult;
}

const FATE_WORDS: Record<Fate, string> = {
  reached: 'reached a responsible guarantor',
  'no-responder': 'triggered a commitment with no lead',
  unverified: 'not verified',
  'denied-access': 'monitors denied access',
  unattributed: 'could not be attributed',
  uncovered: 'no commitment covers it',
  'below-threshold': 'below the trigger',
  pending: 'still being verified at the end',
};
const FATE_COLOURS: Record<Fate, string> = {
  reached: '#2e7d32',
  'no-responder': '#c62828',
  unverified: '#9e9e9e',
  'denied-access': '#6d4c41',
  unattributed: '#bdbdbd',
  uncovered: '#e53935',
  'below-threshold': '#90caf9',
  pending: '#e0e0e0',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const hours = (h: number | null) => (h === null ? '—' : h < 48 ? `${h} h` : `${(h / 24).toFixed(1)} d`);

function bars(h: Histogram, colour: string, label: (edge: number, i: number) => string): string {
  const w = 520;
  const hgt = 160;
  const max = Math.max(1, ...h.counts);
  const bw = w / h.counts.length;
  const rects = h.counts
    .map((c, i) => {
      const bh = (c / max) * (hgt - 30);
      return (
        `<rect x="${(i * bw + 2).toFixed(1)}" y="${(hgt - 20 - bh).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${bh.toFixed(1)}" fill="${colour}"><title>${esc(label(h.edges[i]!, i))}: ${c}</title></rect>` +
        `<text x="${(i * bw + bw / 2).toFixed(1)}" y="${hgt - 6}" font-size="10" text-anchor="middle">${esc(label(h.edges[i]!, i))}</text>`
      );
    })
    .join('');
  return `<svg viewBox="0 0 ${w} ${hgt}" width="100%" role="img">${rects}</svg>`;
}

function series(result: StressResult): string {
  const w = 520;
  const h = 160;
  const b = result.series.breaches;
  const e = result.series.escalations;
  const max = Math.max(1, ...b, ...e);
  const x = (i: number) => ((i / Math.max(1, b.length - 1)) * (w - 40) + 30).toFixed(1);
  const y = (v: number) => (h - 20 - (v / max) * (h - 35)).toFixed(1);
  const line = (vs: readonly number[]) => vs.map((v, i) => `${i ? 'L' : 'M'}${x(i)},${y(v)}`).join('');
  return (
    `<svg viewBox="0 0 ${w} ${h}" width="100%" role="img">` +
    `<line x1="30" y1="${h - 20}" x2="${w - 10}" y2="${h - 20}" stroke="#999"/>` +
    `<text x="2" y="14" font-size="10">${max.toFixed(1)}</text><text x="30" y="${h - 6}" font-size="10">day 1</text>` +
    `<text x="${w - 60}" y="${h - 6}" font-size="10">day ${b.length}</text>` +
    `<path d="${line(b)}" fill="none" stroke="#c62828" stroke-width="1.5"/><path d="${line(e)}" fill="none" stroke="#1565c0" stroke-width="1.5"/>` +
    `</svg><p class="legend"><span style="color:#c62828">■</span> breaches a day <span style="color:#1565c0">■</span> escalations opened a day (mean over runs)</p>`
  );
}

function fateBar(result: StressResult): string {
  let x = 0;
  const parts = FATES.filter((f) => result.metrics.fates[f] > 0).map((f) => {
    const width = result.metrics.fates[f] * 100;
    const r = `<rect x="${x.toFixed(2)}%" y="0" width="${width.toFixed(2)}%" height="24" fill="${FATE_COLOURS[f]}"><title>${FATE_WORDS[f]}: ${pct(result.metrics.fates[f])}</title></rect>`;
    x += width;
    return r;
  });
  const legend = FATES.filter((f) => result.metrics.fates[f] > 0)
    .map((f) => `<span><i style="background:${FATE_COLOURS[f]}"></i>${FATE_WORDS[f]} ${pct(result.metrics.fates[f])}</span>`)
    .join('');
  return `<svg width="100%" height="24" role="img">${parts.join('')}</svg><p class="fates">${legend}</p>`;
}

function clauseTable(result: StressResult): string {
  if (result.clauses.length === 0) return '<p>No clause failed in these runs.</p>';
  const max = Math.max(1, ...result.clauses.map((c) => c.perRun));
  const rows = result.clauses
    .map(
      (c) =>
        `<tr><th>${esc(c.clause)}</th><td><svg width="160" height="12"><rect width="${((c.perRun / max) * 160).toFixed(1)}" height="12" fill="#c62828"/></svg> ${c.perRun}</td>` +
        `<td>${c.gap}</td><td>${c.deadEnd}</td><td>${c.veto}</td><td>${c.missedRungs}</td><td>${c.falseTriggers}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>clause</th><th>failures a run</th><th>breaches in a gap</th><th>dead ends</th><th>vetoes</th><th>missed rungs</th><th>false triggers</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A decimal string with its whole part grouped by thousands ("27275000.00" → "27,275,000.00"); never through a float. */
export function grouped(amount: string): string {
  const [whole, fraction] = amount.split('.');
  const g = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? g : `${g}.${fraction}`;
}

const CURRENCY_COLOURS = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f'];

/** Money unlocked by day, per currency as a share of what its tranches hold (the amounts are in the legend). */
function moneyChart(money: NonNullable<StressResult['metrics']['money']>): string {
  const w = 520;
  const h = 170;
  const days = money.currencies[0]?.byDay.length ?? 1;
  const x = (i: number) => ((i / Math.max(1, days - 1)) * (w - 40) + 30).toFixed(1);
  const y = (share: number) => (h - 20 - share * (h - 35)).toFixed(1);
  // Shares only place the line; every figure shown is the exact decimal.
  const share = (v: string, of: string) => (Number(of) > 0 ? Number(v) / Number(of) : 0);
  const lines = money.currencies
    .map((c, k) => {
      const colour = CURRENCY_COLOURS[k % CURRENCY_COLOURS.length];
      const d = c.byDay.map((v, i) => `${i ? 'L' : 'M'}${x(i)},${y(share(v, c.planned))}`).join('');
      return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"><title>${esc(c.currency)}</title></path>`;
    })
    .join('');
  const legend = money.currencies
    .map(
      (c, k) =>
        `<span style="color:${CURRENCY_COLOURS[k % CURRENCY_COLOURS.length]}">■</span> ${esc(c.currency)}: ${grouped(c.expected)} of ${grouped(c.planned)} (p10 ${grouped(c.p10)}, p50 ${grouped(c.p50)}, p90 ${grouped(c.p90)})`,
    )
    .join('<br>');
  return (
    `<svg viewBox="0 0 ${w} ${h}" width="100%" role="img">` +
    `<line x1="30" y1="${h - 20}" x2="${w - 10}" y2="${h - 20}" stroke="#999"/><line x1="30" y1="${y(1)}" x2="${w - 10}" y2="${y(1)}" stroke="#eee"/>` +
    `<text x="2" y="${Number(y(1)) + 4}" font-size="10">100%</text><text x="10" y="${h - 16}" font-size="10">0</text>` +
    `<text x="30" y="${h - 4}" font-size="10">day 1</text><text x="${w - 60}" y="${h - 4}" font-size="10">day ${days}</text>${lines}</svg>` +
    `<p class="legend">${legend}</p>`
  );
}

function moneySection(r: StressResult): string {
  const money = r.metrics.money;
  if (!money) return '';
  const rows = money.tranches
    .map(
      (t) =>
        `<tr><th>${esc(t.label)}<br><small>${esc(t.id)}</small></th><td>${esc(t.currency)} ${grouped(t.amount)}</td>` +
        `<td><svg width="120" height="12"><rect width="120" height="12" fill="#eee"/><rect width="${(t.unlockedShare * 120).toFixed(1)}" height="12" fill="#2e7d32"/></svg> ${pct(t.unlockedShare)}</td>` +
        `<td>${t.day ? `${t.day.p10} / ${t.day.p50} / ${t.day.p90}` : 'never within the scenario'}</td><td>${esc(t.currency)} ${grouped(t.expected)}</td></tr>`,
    )
    .join('');
  return (
    `<h3>Days of ceasefire held and the money that unlocks</h3>` +
    `<p class="legend">Each tranche's conditions are judged by the prosperity module's rules against the breaches the monitors verified in each run; a tranche unlocks at the first moment they hold.</p>` +
    `<figure style="max-width:560px"><figcaption>Money unlocked by day (mean over runs)</figcaption>${moneyChart(money)}</figure>` +
    `<table><thead><tr><th>tranche</th><th>amount</th><th>unlocks in</th><th>day p10 / p50 / p90</th><th>mean a run</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function armSection(arm: ReportArm): string {
  const r = arm.result;
  const m = r.metrics;
  const title = arm.label ? `Alternative ${esc(arm.label)} — ${esc(r.framework.variant)}` : esc(r.framework.variant);
  const cards = [
    ['reach a responsible guarantor', pct(m.reachedShare)],
    ['first response p50 / p90', `${hours(m.firstResponse.p50Hours)} / ${hours(m.firstResponse.p90Hours)}`],
    ['breaches in coverage gaps', `${m.gapBreaches.perRun} a run (${pct(m.gapBreaches.share)})`],
    ['escalations stuck (dead end / veto)', `${m.escalationsPerRun.deadEnd} / ${m.escalationsPerRun.veto}`],
    ['false triggers', `${m.falseTriggersPerRun} a run`],
    ['days held', `${m.daysHeld.mean} of ${m.daysHeld.of}`],
    [
      'money unlocked, mean a run',
      m.money ? m.money.currencies.map((c) => `${esc(c.currency)} ${grouped(c.expected)}`).join('<br>') : 'no tranches followed',
    ],
  ]
    .map(([k, v]) => `<div class="card"><b>${v}</b><span>${k}</span></div>`)
    .join('');
  const gaps = m.gapBreaches.cells.length
    ? `<p class="gap">Coverage gaps hit: ${m.gapBreaches.cells.map((c) => `${esc(c.cell.replace(/\|/g, ' × '))} (${c.perRun} a run)`).join('; ')}</p>`
    : '';
  return (
    `<section><h2>${title}</h2><div class="cards">${cards}</div>${gaps}` +
    `<h3>What became of the breaches</h3>${fateBar(r)}` +
    `<div class="grid"><figure><figcaption>Time to first response (hours)</figcaption>${bars(m.firstResponse.samples ? r.distributions.firstResponseHours : { ...r.distributions.firstResponseHours, counts: r.distributions.firstResponseHours.counts.map(() => 0) }, '#1565c0', (e, i) => (i === r.distributions.firstResponseHours.edges.length - 1 ? `${e}+` : `${e}`))}</figure>` +
    `<figure><figcaption>Breaches and escalations over time</figcaption>${series(r)}</figure>` +
    `<figure><figcaption>Breaches per run</figcaption>${bars(r.distributions.breachesPerRun, '#c62828', (e) => `${e}`)}</figure>` +
    `<figure><figcaption>Days held per run</figcaption>${bars(r.distributions.daysHeld, '#2e7d32', (e) => `${e}`)}</figure></div>` +
    `<h3>Clauses that fail most often</h3>${clauseTable(r)}${moneySection(r)}</section>`
  );
}

function comparisonSection(c: Comparison): string {
  const rows: [string, (a: Comparison['arms'][number]) => string][] = [
    ['reach a responsible guarantor', (a) => pct(a.metrics.reachedShare)],
    ['breaches in coverage gaps a run', (a) => `${a.metrics.gapBreachesPerRun} (${pct(a.metrics.gapShare)})`],
    ['first response p50 / p90', (a) => `${hours(a.metrics.firstResponseP50Hours)} / ${hours(a.metrics.firstResponseP90Hours)}`],
    ['escalations a run', (a) => `${a.metrics.escalationsPerRun}`],
    ['dead ends / vetoes a run', (a) => `${a.metrics.deadEndPerRun} / ${a.metrics.vetoPerRun}`],
    ['false triggers a run', (a) => `${a.metrics.falseTriggersPerRun}`],
    [`failures of ${c.clause} a run`, (a) => `${a.metrics.clauseFailuresPerRun}`],
  ];
  const head = c.arms.map((a) => `<th>${esc(a.label)} (${esc(a.alternative)})</th>`).join('');
  const body = rows.map(([k, f]) => `<tr><th>${esc(k)}</th>${c.arms.map((a) => `<td>${esc(f(a))}</td>`).join('')}</tr>`).join('');
  return `<section><h2>Clause ${esc(c.clause)}: the alternatives compared</h2><ul>${c.findings.map((f) => `<li>${esc(f)}</li>`).join('')}</ul><table><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table></section>`;
}

export function renderReportHtml(arms: readonly ReportArm[], comparison: Comparison | null = null): string {
  const first = arms[0]!.result;
  const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:2px solid #eee}
.cards{display:flex;flex-wrap:wrap;gap:.6rem}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:150px}.card b{display:block;font-size:1.25rem}.card span{color:#666;font-size:.85rem}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left}
.fates span{margin-right:1rem;font-size:.85rem;white-space:nowrap}.fates i{display:inline-block;width:10px;height:10px;margin-right:4px}.gap{background:#ffebee;padding:.5rem;border-left:4px solid #c62828}.legend{font-size:.85rem;color:#555}.meta{color:#555}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stress test: ${esc(first.scenario.title)}</title><style>${style}</style></head><body>` +
    `<h1>Stress test: ${esc(first.scenario.title)}</h1>` +
    `<p class="meta">${first.runs} runs of ${first.scenario.days} days from ${esc(first.scenario.start)}, seed ${first.seed}; scenario ${esc(first.scenario.id)} (sha256 ${esc(first.scenario.hash.slice(0, 16))}…)` +
    `${first.framework.hash ? `; framework ${esc(first.framework.hash.slice(0, 16))}…` : ''}. The same seed gives the same result.</p>` +
    (comparison ? comparisonSection(comparison) : '') +
    arms.map(armSection).join('') +
    `<section><h2>Notes</h2><ul>${first.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section></body></html>`
  );
}
