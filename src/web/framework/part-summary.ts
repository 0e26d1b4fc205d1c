import type { Part } from '../../core/framework/model';
import type { Messages } from '../i18n';

/*
 * A machine-readable part in one line a drafter can read: its kind and the few fields that decide
 * what it does ("zone · buffer zone · buffer 15 km each side · along contact-line"). The JSON is one
 * click away; this is what makes the chip worth reading without it.
 */

type PartWords = Messages['framework']['part'];

export interface SummaryContext {
  readonly words: PartWords;
  /** Interface locale, for numbers and units. */
  readonly locale: string;
  /** A party's short name (TR, UK, Coalition). */
  readonly party: (id: string) => string;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function unitFormat(locale: string, unit: string): Intl.NumberFormat {
  const key = `${locale}|${unit}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 });
    numberFormats.set(key, format);
  }
  return format;
}

/** 15000 → "15 km", 800 → "800 m". */
export function formatDistance(metres: number, locale: string): string {
  return metres >= 1000 ? unitFormat(locale, 'kilometer').format(metres / 1000) : unitFormat(locale, 'meter').format(metres);
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const DURATION_UNITS = ['week', 'year', 'month', 'day', 'hour', 'minute', 'second'] as const;

/** ISO 8601 durations as people say them: PT48H → "48 hr", P3D → "3 days", PT12H30M → "12 hr 30 min". */
export function formatDuration(iso: string, locale: string): string {
  const match = DURATION.exec(iso);
  if (!match) return iso;
  const parts: string[] = [];
  DURATION_UNITS.forEach((unit, i) => {
    const value = match[i + 1];
    if (value !== undefined && Number(value) !== 0) parts.push(unitFormat(locale, unit).format(Number(value)));
  });
  return parts.length > 0 ? parts.join(' ') : iso;
}

function range(values: readonly number[], locale: string): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? formatDistance(min, locale) : `${formatDistance(min, locale)} – ${formatDistance(max, locale)}`;
}

/** The facts of a part, most telling first; the first is always its kind. */
export function summarisePart(part: Part, context: SummaryContext): string[] {
  const { words: w, locale } = context;
  const list = (ids: readonly string[]) => ids.map(context.party).join(', ');
  const facts: string[] = [w.kinds[part.kind]];
  switch (part.kind) {
    case 'zone': {
      facts.push(w.zoneTypes[part.type]);
      switch (part.type) {
        case 'contact-line':
          break;
        case 'buffer-zone':
          facts.push(w.bufferEachSide(formatDistance(part.width_m, locale)));
          if (part.along) facts.push(w.along(part.along));
          break;
        case 'withdrawal-line':
          facts.push(w.from(part.from), list(part.appliesTo));
          facts.push(
            w.weapons(
              part.withdrawals.length,
              range(
                part.withdrawals.map((x) => x.distance_m),
                locale,
              ),
            ),
          );
          break;
        case 'maritime-corridor':
          if (part.width_m !== undefined) facts.push(w.wide(formatDistance(part.width_m, locale)));
          facts.push(w.buffer(formatDistance(part.buffer_m, locale)));
          break;
        case 'airspace-area':
          facts.push(
            w.altitude(
              unitFormat(locale, 'meter').format(part.floor_m),
              part.ceiling_m !== undefined ? unitFormat(locale, 'meter').format(part.ceiling_m) : null,
            ),
          );
          break;
      }
      if (part.illustrative) facts.push(w.illustrative);
      return facts;
    }
    case 'commitment': {
      facts.push(w.domains[part.domain] ?? part.domain);
      facts.push(part.leadResponder ? w.lead(context.party(part.leadResponder)) : w.noLead);
      if (part.backupResponder) facts.push(w.backup(context.party(part.backupResponder)));
      const trigger = part.trigger;
      facts.push(w.trigger(trigger.count, trigger.minSeverity, trigger.window ? formatDuration(trigger.window, locale) : null));
      facts.push(w.confidence[trigger.attributionConfidence] ?? trigger.attributionConfidence);
      facts.push(w.guarantors(list(part.guarantors)));
      const d = part.decision;
      facts.push(d.rule === 'one' ? w.decisions.one(d.decider ? context.party(d.decider) : null) : w.decisions[d.rule]);
      if (d.vetoHolders.length > 0) facts.push(w.veto(list(d.vetoHolders)));
      facts.push(typeof part.ladder === 'string' ? w.ladder(part.ladder) : w.ownLadder(part.ladder.rungs.length));
      return facts;
    }
    case 'escalation-ladder': {
      facts.push(w.rungs(part.rungs.length));
      facts.push(part.rungs.map((r) => (r.deadline ? `${r.id} ${formatDuration(r.deadline, locale)}` : r.id)).join(' → '));
      if (part.escalatesTo) facts.push(w.escalatesTo(part.escalatesTo));
      return facts;
    }
    case 'deconfliction-rule': {
      for (const lead of part.leadTimes)
        facts.push(w.notice(w.activities[lead.activity] ?? lead.activity, formatDuration(lead.leadTime, locale)));
      facts.push(w.acknowledge(formatDuration(part.acknowledgement.deadline, locale)));
      return facts;
    }
    case 'exchange-formula': {
      facts.push(w.bases[part.basis] ?? part.basis);
      if (part.ratio) facts.push(`${part.ratio[0].toLocaleString(locale)}:${part.ratio[1].toLocaleString(locale)}`);
      if (part.trancheSize !== undefined) facts.push(w.tranches(part.trancheSize.toLocaleString(locale)));
      facts.push(w.via(part.sides.map(context.party).join(' ↔ '), context.party(part.intermediary)));
      return facts;
    }
    case 'funding-condition':
      facts.push(w.unlocks(part.tranche), w.milestones(part.requires.length));
      return facts;
    case 'meeting-prerequisite':
      facts.push(w.meeting(part.meeting));
      if (part.format) facts.push(w.formats[part.format] ?? part.format);
      facts.push(w.requirements(part.requires.length));
      return facts;
  }
  return facts;
}

/**
 * JSON indented like JSON.stringify(…, 2), except that a list of plain values stays on one line:
 * a coordinate reads as [35.1435, 47.5792], not as four lines.
 */
export function readableJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((x) => x === null || typeof x !== 'object')) return `[${value.map((x) => JSON.stringify(x)).join(', ')}]`;
    return `[\n${value.map((x) => inner + readableJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${readableJson(x, inner)}`).join(',\n')}\n${indent}}`;
}
