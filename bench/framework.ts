/**
 * `npm run bench -- framework`: validate + hash a generated framework of 2,000 clauses and 500 zones
 * (target ≤ 1 s) and diff two versions of it (target ≤ 500 ms). Medians of several runs, YAML (what
 * people write) beside JSON (what machines send), so the cost of the YAML reader shows as a ratio.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';
import { diffFrameworks } from '../src/core/framework/diff';
import { hashFramework } from '../src/core/framework/hash';
import type { Framework, FrameworkInput } from '../src/core/framework/model';
import { parseFrameworkSource } from '../src/core/framework/parse';
import { validateFramework } from '../src/core/framework/validate';
import { rng, table, timeIt } from './lib';

const CLAUSES = 2000;
const ZONES = 500;
const RUNS = 5;

const WORDS_EN = [
  'the',
  'parties',
  'ceasefire',
  'shall',
  'withdraw',
  'within',
  'days',
  'of',
  'guarantors',
  'line',
  'contact',
  'mechanism',
  'verify',
  'breach',
  'respond',
  'zone',
  'heavy',
  'weapons',
  'notify',
  'corridor',
];
const WORDS_UK = [
  'сторони',
  'припинення',
  'вогню',
  'відводять',
  'протягом',
  'днів',
  'гаранти',
  'лінія',
  'зіткнення',
  'механізм',
  'верифікує',
  'порушення',
  'реагують',
  'зона',
  'важке',
  'озброєння',
  'повідомляють',
  'коридор',
];

function sentence(r: () => number, words: readonly string[], n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(words[Math.floor(r() * words.length)]!);
  return out.join(' ') + '.';
}

/** A simple closed ring (a 32-gon) around a point inside Ukraine. */
function ring(r: () => number): Array<[number, number]> {
  const lon = 23 + r() * 16;
  const lat = 45.5 + r() * 5;
  const radius = 0.02 + r() * 0.2;
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 32; i++) {
    const a = (i / 32) * 2 * Math.PI;
    pts.push([Number((lon + radius * Math.cos(a)).toFixed(5)), Number((lat + radius * Math.sin(a) * 0.7).toFixed(5))]);
  }
  pts.push(pts[0]!);
  return pts;
}

/** A line that moves steadily east, so that it cannot cross itself. */
function line(r: () => number): Array<[number, number]> {
  let lon = 23 + r() * 10;
  let lat = 45.5 + r() * 5;
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 40; i++) {
    pts.push([Number(lon.toFixed(5)), Number(lat.toFixed(5))]);
    lon += 0.01 + r() * 0.05;
    lat += (r() - 0.5) * 0.05;
  }
  return pts;
}

export function generateFramework(seed = 1): FrameworkInput {
  const r = rng(seed);
  const parties = ['ua', 'ru', 'us', 'gb', 'fr', 'de', 'tr', 'eu', 'nato', 'mechanism'].map((id) => ({
    id,
    name: { en: `Party ${id}`, uk: `Сторона ${id}` },
    roles:
      id === 'ua' || id === 'ru'
        ? ['party-to-conflict' as const]
        : id === 'mechanism'
          ? ['monitor' as const]
          : ['guarantor' as const, 'intermediary' as const],
  }));
  const zoneIds: string[] = [];
  let clauseNo = 0;
  let zoneNo = 0;
  const chapters: FrameworkInput['chapters'] = [];
  for (let c = 0; c < 20; c++) {
    const articles: FrameworkInput['chapters'][number]['articles'] = [];
    for (let a = 0; a < 10; a++) {
      const clauses: FrameworkInput['chapters'][number]['articles'][number]['clauses'] = [];
      for (let k = 0; k < CLAUSES / 200; k++) {
        const n = clauseNo++;
        const clause: FrameworkInput['chapters'][number]['articles'][number]['clauses'][number] = {
          id: `c-${n}`,
          status: n % 10 === 3 ? 'bracketed' : 'agreed',
          text: { en: sentence(r, WORDS_EN, 30), uk: sentence(r, WORDS_UK, 30) },
        };
        if (n % 4 === 0 && zoneNo < ZONES) {
          const id = `zone-${zoneNo++}`;
          zoneIds.push(id);
          clause.part =
            zoneNo % 2 === 0
              ? {
                  kind: 'zone',
                  type: 'buffer-zone',
                  id,
                  width_m: 1000 + Math.floor(r() * 20000),
                  geometry: { type: 'Polygon', coordinates: [ring(r)] },
                }
              : { kind: 'zone', type: 'contact-line', id, geometry: { type: 'LineString', coordinates: line(r) } };
        } else if (n % 4 === 1 && zoneIds.length > 2 && n % 20 === 1) {
          clause.part = {
            kind: 'commitment',
            id: `commit-${n}`,
            guarantors: ['gb', 'fr'],
            domain: 'land',
            breachTypes: ['artillery-fire'],
            zones: [zoneIds[zoneIds.length - 1]!, zoneIds[zoneIds.length - 2]!],
            activation: { when: 'ceasefire-in-force' },
            trigger: { minSeverity: 3, attributionConfidence: 'medium' },
            evidence: { independentSources: 2, verifier: 'mechanism' },
            decision: { rule: 'majority' },
            leadResponder: 'gb',
            backupResponder: 'fr',
            ladder: {
              rungs: [
                { id: 'verify', action: 'verify', owner: 'mechanism', deadline: 'PT24H', next: 'respond' },
                { id: 'respond', action: 'respond', owner: 'lead-responder' },
              ],
            },
          };
        }
        if (clause.status === 'bracketed') {
          clause.alternatives = [
            { id: `c-${n}-a`, proposedBy: ['ua', 'fr'], text: { en: sentence(r, WORDS_EN, 12), uk: sentence(r, WORDS_UK, 12) } },
            { id: `c-${n}-b`, proposedBy: ['us'], text: { en: sentence(r, WORDS_EN, 12), uk: sentence(r, WORDS_UK, 12) } },
          ];
        }
        clauses.push(clause);
      }
      articles.push({ id: `art-${c}-${a}`, title: { en: `Article ${a}`, uk: `Стаття ${a}` }, clauses });
    }
    chapters.push({ id: `ch-${c}`, title: { en: `Chapter ${c}`, uk: `Розділ ${c}` }, articles });
  }
  return {
    format: 'entente.framework/1',
    process: { id: 'bench', title: { en: 'Bench', uk: 'Тест' }, languages: ['en', 'uk'] },
    parties,
    chapters,
  };
}

/** The next version: some prose edited, some clauses moved, added and removed, some parts changed. */
function nextVersion(doc: Framework, seed = 2): Framework {
  const r = rng(seed);
  const b = structuredClone(doc);
  const all = b.chapters.flatMap((c) => c.articles);
  for (const art of all) {
    for (const clause of art.clauses) {
      if (r() < 0.05) clause.text.en = clause.text.en!.replace(/^\S+/, 'amended');
      if (clause.part?.kind === 'zone' && clause.part.type === 'buffer-zone' && r() < 0.1) clause.part.width_m += 500;
      if (clause.status === 'bracketed' && r() < 0.1) clause.status = 'agreed';
    }
  }
  for (let i = 0; i < 20; i++) {
    const from = all[Math.floor(r() * all.length)]!;
    const to = all[Math.floor(r() * all.length)]!;
    const moved = from.clauses.splice(Math.floor(r() * from.clauses.length), 1)[0];
    if (moved) to.clauses.push(moved);
  }
  for (let i = 0; i < 20; i++)
    all[i]!.clauses.push({
      id: `c-new-${i}`,
      status: 'open',
      text: { en: 'A new clause.', uk: 'Нове положення.' },
      untranslated: [],
      alternatives: [],
    });
  for (let i = 20; i < 40; i++) {
    const clauses = all[i]!.clauses;
    const idx = clauses.findIndex((c) => !c.part);
    if (idx >= 0 && clauses.length > 1) b.retiredIds.push(clauses.splice(idx, 1)[0]!.id);
  }
  return b;
}

/** Block style for structure, flow style for coordinates and short lists, as in the Kyiv example. */
function asPeopleWriteIt(input: FrameworkInput): string {
  const doc = new Document(input);
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i) || isSeq(i))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

export async function run(): Promise<void> {
  const input = generateFramework();
  const yamlText = asPeopleWriteIt(input);
  const jsonText = JSON.stringify(input);
  const check = validateFramework(jsonText, 'bench.json');
  if (!check.document)
    throw new Error(
      `the generated framework is invalid: ${check.problems
        .slice(0, 3)
        .map((p) => p.message)
        .join('; ')}`,
    );
  const doc = check.document;
  const zones = doc.chapters.flatMap((c) => c.articles.flatMap((a) => a.clauses)).filter((c) => c.part?.kind === 'zone').length;
  const clauses = doc.chapters.reduce((n, c) => n + c.articles.reduce((m, a) => m + a.clauses.length, 0), 0);

  const yamlRun = await timeIt(() => hashFramework(validateFramework(yamlText, 'bench.yaml').document!), RUNS);
  const jsonRun = await timeIt(() => hashFramework(validateFramework(jsonText, 'bench.json').document!), RUNS);
  const hashRun = await timeIt(() => hashFramework(doc), RUNS);
  const readYamlRun = await timeIt(() => parseFrameworkSource(yamlText, 'bench.yaml'), RUNS);
  const other = nextVersion(doc);
  const otherCheck = validateFramework(JSON.stringify(other), 'next.json');
  if (!otherCheck.document)
    throw new Error(
      `the next version is invalid: ${otherCheck.problems
        .slice(0, 3)
        .map((p) => p.message)
        .join('; ')}`,
    );
  let summary = '';
  const diffRun = await timeIt(() => {
    const d = diffFrameworks(doc, otherCheck.document!);
    summary = `${d.summary.added} added, ${d.summary.removed} removed, ${d.summary.moved} moved, ${d.summary.changed} changed`;
  }, RUNS + 2);

  const ratio = (ms: number, target: number): string => `${(ms / target).toFixed(2)}× of target`;
  table(
    `framework: ${clauses.toLocaleString('en')} clauses, ${zones} zones; YAML ${(yamlText.length / 1e6).toFixed(2)} MB, JSON ${(jsonText.length / 1e6).toFixed(2)} MB; medians of ${RUNS}+ runs`,
    ['operation', 'median ms', 'target ms', 'vs target', 'note'],
    [
      [
        'validate + hash (YAML)',
        yamlRun.median,
        1000,
        ratio(yamlRun.median, 1000),
        `${(yamlRun.median / jsonRun.median).toFixed(1)}× the JSON time`,
      ],
      ['validate + hash (JSON)', jsonRun.median, 1000, ratio(jsonRun.median, 1000), ''],
      [
        '  of which: reading the YAML',
        readYamlRun.median,
        '—',
        '—',
        `${Math.round((100 * readYamlRun.median) / yamlRun.median)}% of the YAML time (the yaml library)`,
      ],
      ['hash only (both hashes)', hashRun.median, '—', '—', 'document + 2 languages'],
      ['diff two versions', diffRun.median, 500, ratio(diffRun.median, 500), summary],
    ],
  );
}
