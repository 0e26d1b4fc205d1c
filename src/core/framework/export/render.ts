import type { Alternative, Clause, Framework, Part } from '../model';
import { alternativeLabel } from '../normalise';

/**
 * What every export shares: clause numbering, the words around the text (Chapter, Article, "proposed
 * by") in each working language, and the diplomats' bracket convention
 *   "… [A: at 00:00 Kyiv time … (proposed by UA, US)] [B: 72 hours after … (proposed by RU)]".
 * A clause renders to styled segments; Markdown, DOCX and Akoma Ntoso each turn segments into their form.
 */

export interface Segment {
  readonly text: string;
  readonly style: 'text' | 'bracket' | 'label' | 'proposers' | 'deleted' | 'note';
}

export interface Labels {
  readonly chapter: string;
  readonly article: string;
  readonly parties: string;
  readonly definitions: string;
  readonly proposedBy: string;
  readonly deleted: string;
  readonly open: string;
  readonly pending: string;
  readonly version: string;
}

const LABELS: Readonly<Record<string, Labels>> = {
  en: {
    chapter: 'Chapter',
    article: 'Article',
    parties: 'Parties',
    definitions: 'Definitions',
    proposedBy: 'proposed by',
    deleted: 'deleted',
    open: 'open',
    pending: 'translation pending',
    version: 'Version',
  },
  uk: {
    chapter: 'Розділ',
    article: 'Стаття',
    parties: 'Сторони',
    definitions: 'Визначення',
    proposedBy: 'пропозиція:',
    deleted: 'вилучено',
    open: 'відкрито',
    pending: 'переклад очікується',
    version: 'Версія',
  },
  ru: {
    chapter: 'Раздел',
    article: 'Статья',
    parties: 'Стороны',
    definitions: 'Определения',
    proposedBy: 'предложение:',
    deleted: 'исключено',
    open: 'открыто',
    pending: 'перевод ожидается',
    version: 'Версия',
  },
  fr: {
    chapter: 'Chapitre',
    article: 'Article',
    parties: 'Parties',
    definitions: 'Définitions',
    proposedBy: 'proposé par',
    deleted: 'supprimé',
    open: 'ouvert',
    pending: 'traduction en attente',
    version: 'Version',
  },
  de: {
    chapter: 'Kapitel',
    article: 'Artikel',
    parties: 'Parteien',
    definitions: 'Begriffsbestimmungen',
    proposedBy: 'vorgeschlagen von',
    deleted: 'gestrichen',
    open: 'offen',
    pending: 'Übersetzung ausstehend',
    version: 'Fassung',
  },
  tr: {
    chapter: 'Bölüm',
    article: 'Madde',
    parties: 'Taraflar',
    definitions: 'Tanımlar',
    proposedBy: 'öneren:',
    deleted: 'çıkarıldı',
    open: 'açık',
    pending: 'çeviri bekleniyor',
    version: 'Sürüm',
  },
};

export function labelsFor(lang: string): Labels {
  return LABELS[lang] ?? LABELS[lang.split('-')[0]!] ?? LABELS.en!;
}

export function roman(n: number): string {
  const table: Array<[number, string]> = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of table)
    while (n >= v) {
      out += s;
      n -= v;
    }
  return out;
}

/** Picks the languages to show: those asked for that the document declares, else its first one. */
export function chooseLanguages(doc: Framework, asked: readonly string[] | undefined): string[] {
  const declared = doc.process.languages;
  const chosen = (asked ?? []).filter((l) => declared.includes(l));
  return chosen.length > 0 ? chosen : [declared[0]!];
}

export class PartyNames {
  private readonly order = new Map<string, number>();
  private readonly shorts = new Map<string, string>();
  constructor(doc: Framework) {
    doc.parties.forEach((p, i) => {
      this.order.set(p.id, i);
      this.shorts.set(p.id, p.short ?? p.id.toUpperCase());
    });
  }
  /** Short names in the order the parties are declared (protocol order), not alphabetical. */
  list(ids: readonly string[]): string {
    return [...ids]
      .sort((a, b) => (this.order.get(a) ?? 1e9) - (this.order.get(b) ?? 1e9))
      .map((id) => this.shorts.get(id) ?? id.toUpperCase())
      .join(', ');
  }
}

export function clauseSegments(clause: Clause, lang: string, names: PartyNames): Segment[] {
  const l = labelsFor(lang);
  const own = clause.text[lang];
  const segments: Segment[] = [];
  const pending: Segment = { text: `[${l.pending}]`, style: 'note' };
  if (clause.status === 'deleted') {
    segments.push(own ? { text: own, style: 'deleted' } : pending, { text: ` (${l.deleted})`, style: 'note' });
    return segments;
  }
  if (clause.status === 'bracketed' && clause.alternatives.length === 0) {
    segments.push(own ? { text: `[${own}]`, style: 'bracket' } : pending);
    return segments;
  }
  segments.push(own ? { text: own, style: 'text' } : pending);
  clause.alternatives.forEach((alt, i) => segments.push({ text: ' ', style: 'text' }, ...alternativeSegments(alt, i, lang, names)));
  if (clause.status === 'open') segments.push({ text: ` (${l.open})`, style: 'note' });
  return segments;
}

export function alternativeSegments(alt: Alternative, index: number, lang: string, names: PartyNames): Segment[] {
  const l = labelsFor(lang);
  const label = alt.label ?? alternativeLabel(index);
  const text = alt.text[lang];
  return [
    { text: '[', style: 'bracket' },
    { text: `${label}:`, style: 'label' },
    { text: ' ' + (text ?? `[${l.pending}]`) + ' ', style: text ? 'bracket' : 'note' },
    { text: `(${l.proposedBy} ${names.list(alt.proposedBy)})`, style: 'proposers' },
    { text: ']', style: 'bracket' },
  ];
}

export function plain(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join('');
}

/** One line in English saying what a machine-readable part is, for readers of the text exports. */
export function describePart(part: Part): string {
  switch (part.kind) {
    case 'zone': {
      const illustrative = part.illustrative ? ', ILLUSTRATIVE geometry' : '';
      const geometry = part.geometry ? `, ${part.geometry.type}` : '';
      switch (part.type) {
        case 'contact-line':
          return `zone ${part.id}: contact line${geometry}${illustrative}`;
        case 'buffer-zone':
          return `zone ${part.id}: buffer zone ${km(part.width_m)} each side${part.along ? ` of ${part.along}` : ''}${geometry}${illustrative}`;
        case 'withdrawal-line':
          return `zone ${part.id}: withdrawal from ${part.from} for ${part.appliesTo.join(', ')}: ${part.withdrawals.map((w) => `${w.weaponClass} ${km(w.distance_m)}`).join(', ')}${illustrative}`;
        case 'maritime-corridor':
          return `zone ${part.id}: maritime corridor${part.width_m ? ` ${km(part.width_m)} wide` : ''}, buffer ${km(part.buffer_m)}${geometry}${illustrative}`;
        case 'airspace-area':
          return `zone ${part.id}: airspace from ${part.floor_m} m${part.ceiling_m !== undefined ? ` to ${part.ceiling_m} m` : ''}${geometry}${illustrative}`;
      }
      break;
    }
    case 'commitment': {
      const t = part.trigger;
      const trigger = `${t.count} breach(es) of severity ≥ ${t.minSeverity}${t.window ? ` within ${t.window}` : ''}, ${t.attributionConfidence} confidence`;
      const responders = `lead ${part.leadResponder ?? 'NONE'}${part.backupResponder ? `, backup ${part.backupResponder}` : ', no backup'}`;
      return `commitment ${part.id}: ${part.domain}, guarantors ${part.guarantors.join(', ')}; zones ${part.zones.join(', ') || 'any'}; trigger ${trigger}; decision ${part.decision.rule}; ${responders}; ladder ${typeof part.ladder === 'string' ? part.ladder : 'inline'}`;
    }
    case 'escalation-ladder':
      return `ladder ${part.id}: ${part.rungs.map((r) => `${r.id} (${r.owner}${r.deadline ? `, ${r.deadline}` : ''})`).join(' → ')}${part.escalatesTo ? ` ⇒ ${part.escalatesTo}` : ''}`;
    case 'deconfliction-rule':
      return `deconfliction ${part.id}: lead times ${part.leadTimes.map((x) => `${x.activity} ${x.leadTime}`).join(', ')}; acknowledgement within ${part.acknowledgement.deadline} by ${part.acknowledgement.by.join(', ')}; public precision ${part.publicPrecision_m} m`;
    case 'exchange-formula':
      return `exchange ${part.id}: ${part.sides.join(' ↔ ')} via ${part.intermediary}; ${part.basis}${part.ratio ? ` ${part.ratio[0]}:${part.ratio[1]}` : ''}${part.trancheSize ? `, tranches of ${part.trancheSize}` : ''}${part.categoryRules.length ? `; first: ${part.categoryRules.map((r) => r.category).join(', ')}` : ''}`;
    case 'funding-condition':
      return `funding ${part.id} unlocks ${part.tranche} when: ${part.requires.map((m) => (m.type === 'ceasefire-held' ? `ceasefire held ${m.days} days` : m.type === 'exchange-completed' ? `${m.tranches} exchange tranche(s) of ${m.formula}` : m.type === 'meeting-held' ? `meeting ${m.meeting} held` : m.type === 'attested' ? `attested by ${m.by}` : 'framework in force')).join(' and ')}`;
    case 'meeting-prerequisite':
      return `meeting ${part.meeting}${part.format ? ` (${part.format})` : ''} requires: ${part.requires.map((r) => (r.type === 'meeting-held' ? `meeting ${r.meeting}` : r.type === 'clauses-agreed' ? `clauses ${r.clauses.join(', ')} agreed` : `attestation by ${r.by}`)).join('; ')}`;
  }
  return part satisfies never;
}

function km(m: number): string {
  return m >= 1000 ? `${Number((m / 1000).toFixed(3))} km` : `${m} m`;
}
