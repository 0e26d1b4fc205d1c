import { checkGeometry } from './geometry';
import { languageName, unknownLanguageMessage } from './languages';
import { Framework, RUNG_OWNER_ROLES, type Commitment, type EscalationRung, type Party, type PartKind } from './model';
import { normaliseFramework } from './normalise';
import { parseFrameworkSource, type Problem, type SourcePosition } from './parse';
import { schemaFindings, withContext, type Finding } from './schema-issues';
import { clauseSites, partSites, pointerSegment, type PartSite } from './traverse';

export type { Problem } from './parse';
export type { Finding } from './schema-issues';

/**
 * Validation of a framework: schema, then the checks that need the whole document — ids, references,
 * cycles, geometry, languages — and lints. Lints are warnings that `strict` turns into errors.
 *
 * A returned document is always valid and normalised; when there is any error it is null, so that
 * nothing invalid can be stored, hashed or signed by mistake.
 */

export interface ValidateOptions {
  readonly strict?: boolean;
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly format: 'yaml' | 'json';
  /** Sorted by position. */
  readonly problems: readonly Problem[];
  readonly document: Framework | null;
}

export function validateFramework(text: string, fileName: string, options: ValidateOptions = {}): ValidationReport {
  const source = parseFrameworkSource(text, fileName);
  if (source.value === undefined) return { ok: false, format: source.format, problems: sortProblems(source.problems), document: null };
  const checked = checkFramework(source.value, { ...options, locate: (p) => source.locate(p) });
  const problems: Problem[] = [...source.problems];
  for (const f of checked.findings) {
    const pos = source.locate(f.pointer, f.at);
    problems.push({ severity: f.severity, line: pos.line, col: pos.col, message: f.message, pointer: f.pointer });
  }
  const ok = !problems.some((p) => p.severity === 'error');
  return { ok, format: source.format, problems: sortProblems(problems), document: ok ? checked.document : null };
}

function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.line - b.line || a.col - b.col || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

export interface CheckOptions extends ValidateOptions {
  /** Lets messages say "line 12" when they refer to another place; pointers otherwise. */
  readonly locate?: (pointer: string) => SourcePosition;
}

export interface CheckResult {
  readonly document: Framework | null;
  readonly findings: readonly Finding[];
}

/** Validates plain data (e.g. an API body already parsed). Findings carry JSON pointers. */
export function checkFramework(value: unknown, options: CheckOptions = {}): CheckResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { document: null, findings: [{ severity: 'error', pointer: '', at: 'value', message: rootMessage(value) }] };
  }
  const parsed = Framework.safeParse(value, { reportInput: true });
  if (!parsed.success) return { document: null, findings: schemaFindings(parsed.error.issues, value) };
  let findings = new Checker(parsed.data, options.locate).run();
  if (options.strict) {
    findings = findings.map((f) =>
      f.severity === 'warning' ? { ...f, severity: 'error', message: `${f.message} (an error under --strict)` } : f,
    );
  }
  const ok = !findings.some((f) => f.severity === 'error');
  return { document: ok ? normaliseFramework(parsed.data) : null, findings };
}

function rootMessage(value: unknown): string {
  const start = 'a framework is a mapping that starts with "format: entente.framework/1", then process, parties and chapters';
  if (value === null || value === undefined) return `the document is empty: ${start}`;
  if (Array.isArray(value)) return `the document is a list: ${start}`;
  return `the document is a single ${typeof value} value: ${start}`;
}

// ---------------------------------------------------------------------------------------------------

interface PartEntry {
  readonly kind: PartKind;
  readonly zoneType: string | null;
  readonly sites: PartSite[];
  readonly deleted: boolean;
}

interface Edge {
  readonly to: string;
  readonly pointer: string;
}

class Checker {
  private readonly findings: Finding[] = [];
  private readonly languages: readonly string[];
  /** Declared languages that exist: missing text is only reported for these, not for a typo like "ua". */
  private readonly knownLanguages: readonly string[];
  private readonly parties = new Map<string, { party: Party; pointer: string }>();
  private readonly ids = new Map<string, { what: string; pointer: string }>();
  private readonly parts = new Map<string, PartEntry>();
  private readonly clauseIds = new Map<string, string>();
  private readonly retired: Set<string>;
  /** parts referred to from elsewhere, to warn when they live in deleted clauses */
  private readonly referenced = new Map<string, string>();

  constructor(
    private readonly doc: Framework,
    private readonly locate?: (pointer: string) => SourcePosition,
  ) {
    this.languages = doc.process.languages;
    this.knownLanguages = [...new Set(this.languages.filter((l) => languageName(l) !== null))];
    this.retired = new Set(doc.retiredIds);
  }

  run(): Finding[] {
    this.checkLanguages();
    this.registerParties();
    this.registerIds();
    this.checkText();
    this.checkClauses();
    this.checkParts();
    this.checkCycles();
    this.checkDeletedReferences();
    return this.findings;
  }

  // -- helpers ----------------------------------------------------------------------------------

  private error(pointer: string, message: string, at: 'key' | 'value' = 'value'): void {
    this.findings.push({ severity: 'error', pointer, message: this.ctx(pointer, message), at });
  }

  private warn(pointer: string, message: string, at: 'key' | 'value' = 'value'): void {
    this.findings.push({ severity: 'warning', pointer, message: this.ctx(pointer, message), at });
  }

  private ctx(pointer: string, message: string): string {
    const path =
      pointer === ''
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    return withContext(this.doc, path, message);
  }

  private where(pointer: string): string {
    if (!this.locate) return pointer || 'the document root';
    const p = this.locate(pointer);
    return `line ${p.line}`;
  }

  private party(id: string, pointer: string, what: string): void {
    if (this.parties.has(id)) return;
    const known = [...this.parties.keys()].join(', ');
    this.error(pointer, `${what} "${id}" is not a party of this framework (parties: ${known})`);
  }

  private partyList(ids: readonly string[], pointer: string, what: string): void {
    ids.forEach((id, i) => this.party(id, `${pointer}/${i}`, what));
    this.noDuplicates(ids, pointer, what);
  }

  private noDuplicates(ids: readonly string[], pointer: string, what: string): void {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) this.warn(`${pointer}/${i}`, `${what} "${id}" is listed twice`);
      seen.add(id);
    });
  }

  /** A reference to a part of a given kind; distinguishes "no such id" from "wrong kind". */
  private partRef(id: string, pointer: string, kind: PartKind, what: string): PartEntry | null {
    const entry = this.parts.get(id);
    this.referenced.set(id, pointer);
    if (!entry) {
      const sameKind = [...this.parts.entries()].filter(([, e]) => e.kind === kind).map(([k]) => k);
      const hint = sameKind.length > 0 && sameKind.length <= 12 ? ` (known: ${sameKind.join(', ')})` : '';
      const other = this.ids.get(id);
      if (other) this.error(pointer, `${what} "${id}" names a ${other.what}, not a ${kind}`);
      else this.error(pointer, `${what} "${id}" does not exist${hint}`);
      return null;
    }
    if (entry.kind !== kind) {
      this.error(pointer, `${what} "${id}" is a ${entry.kind}${entry.zoneType ? ` (${entry.zoneType})` : ''}, not a ${kind}`);
      return null;
    }
    return entry;
  }

  private hasRole(partyId: string, role: Party['roles'][number]): boolean {
    const p = this.parties.get(partyId)?.party;
    if (!p) return true; // an unknown party is already an error
    if (p.roles.includes(role)) return true;
    // A coalition's members act under the coalition's role.
    for (const { party } of this.parties.values())
      if (party.kind === 'coalition' && party.members.includes(partyId) && party.roles.includes(role)) return true;
    return false;
  }

  // -- languages and text -----------------------------------------------------------------------

  private checkLanguages(): void {
    const seen = new Set<string>();
    this.languages.forEach((tag, i) => {
      const message = unknownLanguageMessage(tag);
      if (message) this.error(`/process/languages/${i}`, message);
      if (seen.has(tag)) this.error(`/process/languages/${i}`, `language "${tag}" is declared twice`);
      seen.add(tag);
    });
  }

  private text(
    t: Readonly<Record<string, string>>,
    pointer: string,
    what: string,
    untranslated: readonly string[] | null,
    untranslatedPointer: string | null,
  ): void {
    const declared = this.languages;
    for (const lang of Object.keys(t)) {
      if (!declared.includes(lang)) {
        const m = unknownLanguageMessage(lang);
        this.error(
          `${pointer}/${pointerSegment(lang)}`,
          `${what}: text in "${lang}", which is not a working language of this process (declared: ${declared.join(', ')})${m ? `; ${m}` : ''}`,
          'key',
        );
      }
    }
    for (const lang of this.knownLanguages) {
      if (lang in t) continue;
      if (untranslated?.includes(lang)) continue;
      const name = languageName(lang) ?? lang;
      const fix = untranslated ? `add it, or mark it "untranslated: [${lang}]"` : 'add it';
      this.error(pointer, `${what} has no ${name} (${lang}) text: ${fix}`);
    }
    if (untranslated && untranslatedPointer) {
      untranslated.forEach((lang, i) => {
        if (!declared.includes(lang))
          this.error(
            `${untranslatedPointer}/${i}`,
            `"${lang}" is marked untranslated but is not a working language (declared: ${declared.join(', ')})`,
          );
        else if (lang in t)
          this.warn(`${untranslatedPointer}/${i}`, `marked untranslated in ${lang}, but the ${lang} text is there: remove the marker`);
      });
    }
  }

  private checkText(): void {
    const d = this.doc;
    this.text(d.process.title, '/process/title', 'the process title', null, null);
    d.parties.forEach((p, i) => this.text(p.name, `/parties/${i}/name`, 'the name', null, null));
    d.definitions.forEach((def, i) => {
      this.text(def.term, `/definitions/${i}/term`, 'the term', def.untranslated, `/definitions/${i}/untranslated`);
      this.text(def.text, `/definitions/${i}/text`, 'the definition', def.untranslated, null);
    });
    d.chapters.forEach((ch, c) => {
      this.text(ch.title, `/chapters/${c}/title`, 'the chapter title', null, null);
      ch.articles.forEach((a, k) => this.text(a.title, `/chapters/${c}/articles/${k}/title`, 'the article title', null, null));
    });
    for (const site of clauseSites(d)) {
      const c = site.clause;
      if (c.title) this.text(c.title, `${site.pointer}/title`, 'the clause title', c.untranslated, null);
      this.text(c.text, `${site.pointer}/text`, 'the clause', c.untranslated, `${site.pointer}/untranslated`);
      c.alternatives.forEach((alt, i) => {
        const p = `${site.pointer}/alternatives/${i}`;
        this.text(alt.text, `${p}/text`, `alternative ${alt.id}`, alt.untranslated, `${p}/untranslated`);
      });
    }
  }

  // -- ids --------------------------------------------------------------------------------------

  private registerParties(): void {
    this.doc.parties.forEach((p, i) => {
      const pointer = `/parties/${i}`;
      const prev = this.parties.get(p.id);
      if (prev) this.error(`${pointer}/id`, `duplicate party id "${p.id}": already used at ${this.where(prev.pointer)}`);
      else this.parties.set(p.id, { party: p, pointer });
      if ((RUNG_OWNER_ROLES as readonly string[]).includes(p.id))
        this.error(`${pointer}/id`, `"${p.id}" is reserved for ladder owners; choose another party id`);
    });
    this.doc.parties.forEach((p, i) => {
      const pointer = `/parties/${i}`;
      this.partyList(p.members, `${pointer}/members`, 'member');
      if (p.members.length > 0 && p.kind !== 'coalition')
        this.warn(`${pointer}/members`, `party ${p.id} lists members but is a ${p.kind}, not a coalition`);
      if (p.members.includes(p.id)) this.error(`${pointer}/members`, `party ${p.id} lists itself as a member`);
      if (p.lead) this.party(p.lead, `${pointer}/lead`, 'lead');
      const short = p.short ?? p.id.toUpperCase();
      const clash = this.doc.parties.findIndex((q) => q !== p && (q.short ?? q.id.toUpperCase()) === short);
      if (clash >= 0 && clash < i)
        this.error(
          `${pointer}/short`,
          `short name "${short}" is also used by party ${this.doc.parties[clash]!.id}: brackets would not say who proposed what`,
        );
    });
  }

  private claim(id: string, pointer: string, what: string): void {
    if (this.retired.has(id))
      this.error(`${pointer}/id`, `${what} id "${id}" was retired by an earlier version; ids are never reused: choose a new one`);
    const prev = this.ids.get(id);
    if (prev) this.error(`${pointer}/id`, `duplicate id "${id}": already used by a ${prev.what} at ${this.where(prev.pointer)}`);
    else this.ids.set(id, { what, pointer });
  }

  private registerIds(): void {
    const d = this.doc;
    d.definitions.forEach((def, i) => this.claim(def.id, `/definitions/${i}`, 'definition'));
    d.chapters.forEach((ch, c) => {
      this.claim(ch.id, `/chapters/${c}`, 'chapter');
      ch.articles.forEach((a, k) => this.claim(a.id, `/chapters/${c}/articles/${k}`, 'article'));
    });
    for (const site of clauseSites(d)) {
      this.claim(site.clause.id, site.pointer, 'clause');
      this.clauseIds.set(site.clause.id, site.pointer);
      site.clause.alternatives.forEach((alt, i) => this.claim(alt.id, `${site.pointer}/alternatives/${i}`, 'alternative'));
    }
    // Parts: the clause's part and its alternatives' parts are options for one thing and may share an id
    // (e.g. the buffer zone at 15 km or at 5 km); across clauses a part id is unique.
    for (const site of partSites(d)) {
      const { part } = site;
      const entry = this.parts.get(part.id);
      const zoneType = part.kind === 'zone' ? part.type : null;
      if (!entry) {
        if (this.ids.has(part.id)) {
          const prev = this.ids.get(part.id)!;
          this.error(`${site.pointer}/id`, `duplicate id "${part.id}": already used by a ${prev.what} at ${this.where(prev.pointer)}`);
        }
        if (this.retired.has(part.id))
          this.error(
            `${site.pointer}/id`,
            `${part.kind} id "${part.id}" was retired by an earlier version; ids are never reused: choose a new one`,
          );
        this.parts.set(part.id, { kind: part.kind, zoneType, sites: [site], deleted: site.clause.status === 'deleted' });
        continue;
      }
      const first = entry.sites[0]!;
      if (first.clause !== site.clause) {
        this.error(
          `${site.pointer}/id`,
          `duplicate id "${part.id}": already used by a ${entry.kind} in clause ${first.clause.id} (${this.where(first.pointer)}); only the alternatives of one clause may share a part id`,
        );
      } else if (entry.kind !== part.kind || entry.zoneType !== zoneType) {
        this.error(
          `${site.pointer}/id`,
          `"${part.id}" is a ${entry.kind}${entry.zoneType ? ` (${entry.zoneType})` : ''} in another option of this clause; alternatives sharing a part id must be the same kind`,
        );
      } else {
        entry.sites.push(site);
      }
    }
    d.retiredIds.forEach((id, i) => {
      if (d.retiredIds.indexOf(id) !== i) this.warn(`/retiredIds/${i}`, `"${id}" is retired twice`);
    });
  }

  // -- clauses ----------------------------------------------------------------------------------

  private checkClauses(): void {
    for (const site of clauseSites(this.doc)) {
      const c = site.clause;
      const labels = new Map<string, number>();
      c.alternatives.forEach((alt, i) => {
        const p = `${site.pointer}/alternatives/${i}`;
        this.partyList(alt.proposedBy, `${p}/proposedBy`, 'proposing party');
        if (alt.label) {
          if (labels.has(alt.label)) this.error(`${p}/label`, `label ${alt.label} is already used by another alternative of this clause`);
          labels.set(alt.label, i);
        }
      });
      if (c.status === 'agreed' && c.alternatives.length > 0) {
        this.warn(
          `${site.pointer}/alternatives`,
          'the clause is agreed but still lists alternatives: remove them, or set the status to bracketed',
        );
      }
    }
  }

  // -- parts ------------------------------------------------------------------------------------

  private checkParts(): void {
    for (const site of partSites(this.doc)) {
      const { part, pointer } = site;
      switch (part.kind) {
        case 'zone':
          this.checkZone(site);
          break;
        case 'commitment':
          this.checkCommitment(part, pointer);
          break;
        case 'escalation-ladder':
          this.checkRungs(part.rungs, `${pointer}/rungs`, `ladder ${part.id}`);
          if (part.escalatesTo) this.partRef(part.escalatesTo, `${pointer}/escalatesTo`, 'escalation-ladder', 'escalatesTo');
          break;
        case 'deconfliction-rule': {
          part.zones.forEach((z, i) => this.partRef(z, `${pointer}/zones/${i}`, 'zone', 'zone'));
          this.partyList(part.acknowledgement.by, `${pointer}/acknowledgement/by`, 'acknowledging party');
          this.uniqueActivities(part.leadTimes, `${pointer}/leadTimes`, 'lead time');
          this.uniqueActivities(part.bufferDistances, `${pointer}/bufferDistances`, 'buffer distance');
          break;
        }
        case 'exchange-formula': {
          this.partyList(part.sides, `${pointer}/sides`, 'side');
          if (part.sides[0] === part.sides[1]) this.error(`${pointer}/sides`, 'the two sides of an exchange must be different parties');
          this.party(part.intermediary, `${pointer}/intermediary`, 'intermediary');
          if (part.sides.includes(part.intermediary)) this.error(`${pointer}/intermediary`, 'the intermediary cannot be one of the sides');
          else if (!this.hasRole(part.intermediary, 'intermediary'))
            this.warn(`${pointer}/intermediary`, `${part.intermediary} does not have the intermediary role in the process`);
          if (part.basis === 'parity' && !part.ratio) this.error(`${pointer}`, 'basis parity needs a ratio, e.g. "ratio: [1, 1]"');
          if (part.basis === 'category' && part.categoryRules.length === 0)
            this.error(`${pointer}`, 'basis category needs at least one entry in categoryRules');
          const seen = new Set<string>();
          part.categoryRules.forEach((r, i) => {
            if (seen.has(r.category)) this.error(`${pointer}/categoryRules/${i}/category`, `category ${r.category} has two rules`);
            seen.add(r.category);
          });
          break;
        }
        case 'funding-condition':
          part.requires.forEach((m, i) => {
            const p = `${pointer}/requires/${i}`;
            if (m.type === 'ceasefire-held') m.zones.forEach((z, j) => this.partRef(z, `${p}/zones/${j}`, 'zone', 'zone'));
            else if (m.type === 'exchange-completed') this.partRef(m.formula, `${p}/formula`, 'exchange-formula', 'formula');
            else if (m.type === 'attested') this.party(m.by, `${p}/by`, 'attesting party');
          });
          break;
        case 'meeting-prerequisite':
          part.requires.forEach((r, i) => {
            const p = `${pointer}/requires/${i}`;
            if (r.type === 'clauses-agreed') {
              r.clauses.forEach((id, j) => {
                if (!this.clauseIds.has(id)) this.error(`${p}/clauses/${j}`, `clause "${id}" does not exist`);
              });
            } else if (r.type === 'attested') this.party(r.by, `${p}/by`, 'attesting party');
            else if (r.meeting === part.meeting) this.error(`${p}/meeting`, `meeting ${part.meeting} cannot require itself`);
          });
          break;
      }
    }
  }

  private uniqueActivities(list: readonly { activity: string }[], pointer: string, what: string): void {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.activity)) this.error(`${pointer}/${i}/activity`, `two ${what}s for ${x.activity}: keep one`);
      seen.add(x.activity);
    });
  }

  private checkZone(site: PartSite): void {
    const { part, pointer } = site;
    if (part.kind !== 'zone') return;
    if (part.geometry) {
      for (const issue of checkGeometry(part.geometry)) this.error(`${pointer}/geometry${issue.pointer}`, issue.message);
    }
    switch (part.type) {
      case 'buffer-zone':
        if (part.along) {
          if (part.along === part.id) this.error(`${pointer}/along`, 'a buffer zone cannot surround itself');
          else this.partRef(part.along, `${pointer}/along`, 'zone', 'along');
        }
        break;
      case 'withdrawal-line': {
        if (part.from === part.id) this.error(`${pointer}/from`, 'a withdrawal line cannot be measured from itself');
        else this.partRef(part.from, `${pointer}/from`, 'zone', 'from');
        this.partyList(part.appliesTo, `${pointer}/appliesTo`, 'withdrawing party');
        const seen = new Set<string>();
        part.withdrawals.forEach((w, i) => {
          if (seen.has(w.weaponClass))
            this.error(`${pointer}/withdrawals/${i}/weaponClass`, `weapon class ${w.weaponClass} is listed twice`);
          seen.add(w.weaponClass);
        });
        break;
      }
      case 'airspace-area':
        if (part.ceiling_m !== undefined && part.ceiling_m <= part.floor_m)
          this.error(`${pointer}/ceiling_m`, `the ceiling (${part.ceiling_m} m) must be above the floor (${part.floor_m} m)`);
        break;
      default:
        break;
    }
  }

  private checkCommitment(c: Commitment, pointer: string): void {
    this.partyList(c.guarantors, `${pointer}/guarantors`, 'guarantor');
    c.guarantors.forEach((g, i) => {
      if (this.parties.has(g) && !this.hasRole(g, 'guarantor'))
        this.warn(`${pointer}/guarantors/${i}`, `${g} is named as a guarantor but does not have the guarantor role in the process`);
    });
    this.noDuplicates(c.breachTypes, `${pointer}/breachTypes`, 'breach type');
    c.zones.forEach((z, i) => this.partRef(z, `${pointer}/zones/${i}`, 'zone', 'zone'));
    this.noDuplicates(c.zones, `${pointer}/zones`, 'zone');
    if (c.activation.when === 'commitment-triggered') {
      if (c.activation.commitment === c.id)
        this.error(`${pointer}/activation/commitment`, 'a commitment cannot be activated by its own trigger');
      else this.partRef(c.activation.commitment, `${pointer}/activation/commitment`, 'commitment', 'activation commitment');
    }
    if (c.trigger.count > 1 && !c.trigger.window)
      this.error(`${pointer}/trigger`, `trigger.count is ${c.trigger.count}: say within what window, e.g. "window: PT24H"`);
    this.party(c.evidence.verifier, `${pointer}/evidence/verifier`, 'verifier');
    if (this.parties.has(c.evidence.verifier) && !this.hasRole(c.evidence.verifier, 'monitor'))
      this.warn(`${pointer}/evidence/verifier`, `the verifier ${c.evidence.verifier} does not have the monitor role in the process`);
    if (c.decision.decider) {
      this.party(c.decision.decider, `${pointer}/decision/decider`, 'decider');
      if (c.decision.rule !== 'one')
        this.warn(`${pointer}/decision/decider`, `a decider is named but the decision rule is ${c.decision.rule}; the decider is ignored`);
    } else if (c.decision.rule === 'one') {
      this.warn(`${pointer}/decision`, "the decision rule is 'one' but no decider is named: say which guarantor decides");
    }
    this.partyList(c.decision.vetoHolders, `${pointer}/decision/vetoHolders`, 'veto holder');
    if (c.leadResponder) this.party(c.leadResponder, `${pointer}/leadResponder`, 'lead responder');
    else this.warn(pointer, `no lead responder is named: nobody is bound to act when it triggers`);
    if (c.backupResponder) {
      this.party(c.backupResponder, `${pointer}/backupResponder`, 'backup responder');
      if (c.backupResponder === c.leadResponder)
        this.warn(`${pointer}/backupResponder`, 'the backup responder is the lead responder: there is no backup');
    }
    if (typeof c.ladder === 'string') this.partRef(c.ladder, `${pointer}/ladder`, 'escalation-ladder', 'ladder');
    else this.checkRungs(c.ladder.rungs, `${pointer}/ladder/rungs`, `the ladder of commitment ${c.id}`);
    c.constitutionalDelays.forEach((d, i) => {
      const p = `${pointer}/constitutionalDelays/${i}`;
      this.party(d.party, `${p}/party`, 'party');
      const isGuarantor = c.guarantors.includes(d.party) || c.guarantors.some((g) => this.parties.get(g)?.party.members.includes(d.party));
      if (this.parties.has(d.party) && !isGuarantor)
        this.warn(`${p}/party`, `${d.party} has a constitutional delay but is not a guarantor of this commitment`);
    });
  }

  private checkRungs(rungs: readonly EscalationRung[], pointer: string, what: string): void {
    const index = new Map<string, number>();
    rungs.forEach((r, i) => {
      if (index.has(r.id)) this.error(`${pointer}/${i}/id`, `rung id "${r.id}" is used twice in ${what}`);
      else index.set(r.id, i);
    });
    rungs.forEach((r, i) => {
      const p = `${pointer}/${i}`;
      if (!(RUNG_OWNER_ROLES as readonly string[]).includes(r.owner) && !this.parties.has(r.owner)) {
        this.error(`${p}/owner`, `owner "${r.owner}" is neither a party nor one of ${RUNG_OWNER_ROLES.join(', ')}`);
      }
      if (r.next !== undefined) {
        if (!index.has(r.next))
          this.error(`${p}/next`, `next rung "${r.next}" does not exist in ${what} (rungs: ${[...index.keys()].join(', ')})`);
        // A rung that hands over to another needs a deadline, or the ladder can never move on.
        if (!r.deadline) this.warn(p, `rung ${r.id} has no deadline: the ladder cannot move on to ${r.next}`);
      }
    });
    // Each rung has at most one next: follow the chain from every rung and stop at a repeat.
    const reported = new Set<string>();
    for (const start of rungs) {
      const seen: string[] = [];
      let cur: EscalationRung | undefined = start;
      while (cur && !seen.includes(cur.id)) {
        seen.push(cur.id);
        const nextId: string | undefined = cur.next;
        cur = nextId === undefined ? undefined : rungs[index.get(nextId) ?? -1];
      }
      if (cur) {
        const cycle = seen.slice(seen.indexOf(cur.id));
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const last = cycle[cycle.length - 1]!;
          this.error(
            `${pointer}/${index.get(last)}/next`,
            `rungs ${[...cycle, cur.id].join(' → ')} form a cycle in ${what}: a ladder must end`,
          );
        }
      }
    }
  }

  // -- cycles across parts ----------------------------------------------------------------------

  private checkCycles(): void {
    const ladders = new Map<string, Edge[]>();
    const activations = new Map<string, Edge[]>();
    const meetings = new Map<string, Edge[]>();
    const add = (graph: Map<string, Edge[]>, from: string, edge: Edge): void => {
      const list = graph.get(from) ?? [];
      list.push(edge);
      graph.set(from, list);
    };
    for (const { part, pointer } of partSites(this.doc)) {
      if (part.kind === 'escalation-ladder' && part.escalatesTo && part.escalatesTo !== part.id)
        add(ladders, part.id, { to: part.escalatesTo, pointer: `${pointer}/escalatesTo` });
      if (part.kind === 'commitment' && part.activation.when === 'commitment-triggered' && part.activation.commitment !== part.id) {
        add(activations, part.id, { to: part.activation.commitment, pointer: `${pointer}/activation/commitment` });
      }
      if (part.kind === 'meeting-prerequisite') {
        part.requires.forEach((r, i) => {
          if (r.type === 'meeting-held' && r.meeting !== part.meeting)
            add(meetings, part.meeting, { to: r.meeting, pointer: `${pointer}/requires/${i}/meeting` });
        });
      }
    }
    const members = new Map<string, Edge[]>();
    this.doc.parties.forEach((p, i) =>
      p.members.forEach((m, j) => m !== p.id && add(members, p.id, { to: m, pointer: `/parties/${i}/members/${j}` })),
    );
    for (const cycle of findCycles(ladders))
      this.error(cycle.pointer, `ladders ${cycle.path.join(' → ')} escalate in a circle: the last must not lead back`);
    for (const cycle of findCycles(activations))
      this.error(cycle.pointer, `commitments ${cycle.path.join(' → ')} activate each other in a circle: none of them can ever activate`);
    for (const cycle of findCycles(meetings))
      this.error(cycle.pointer, `meetings ${cycle.path.join(' → ')} require each other in a circle: none of them can be held`);
    for (const cycle of findCycles(members)) this.error(cycle.pointer, `coalitions ${cycle.path.join(' → ')} contain each other`);
  }

  private checkDeletedReferences(): void {
    for (const [id, pointer] of this.referenced) {
      const entry = this.parts.get(id);
      if (entry?.deleted) this.warn(pointer, `"${id}" is defined in the deleted clause ${entry.sites[0]!.clause.id}`);
    }
  }
}

/** Every elementary cycle reachable by DFS, each reported once, at the edge that closes it. */
function findCycles(graph: ReadonlyMap<string, readonly Edge[]>): Array<{ path: string[]; pointer: string }> {
  const state = new Map<string, 'open' | 'done'>();
  const found: Array<{ path: string[]; pointer: string }> = [];
  const seenKeys = new Set<string>();
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    // Iterative DFS keeps deep graphs off the call stack.
    const stack: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    const path: string[] = [root];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = graph.get(top.node) ?? [];
      if (top.i >= edges.length) {
        state.set(top.node, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const edge = edges[top.i++]!;
      const s = state.get(edge.to);
      if (s === 'open') {
        const cycle = [...path.slice(path.indexOf(edge.to)), edge.to];
        const key = [...new Set(cycle)].sort().join(',');
        if (!seenKeys.has(key)) {
          seenKeys.add(key);
          found.push({ path: cycle, pointer: edge.pointer });
        }
      } else if (s === undefined) {
        state.set(edge.to, 'open');
        stack.push({ node: edge.to, i: 0 });
        path.push(edge.to);
      }
    }
  }
  return found;
}
