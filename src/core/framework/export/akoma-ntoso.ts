import { hashFramework } from '../hash';
import type { Framework } from '../model';
import { alternativeLabel } from '../normalise';
import { clauseSites } from '../traverse';
import { PartyNames, chooseLanguages, clauseSegments, describePart, labelsFor, plain, roman } from './render';

/**
 * Akoma Ntoso 3.0 (OASIS LegalDocML) of one language expression of a framework version:
 * act/body/chapter/article/paragraph, each with an `eId` after the AKN naming convention
 * (chp_1, art_3, art_3__para_2) and our stable id as `wId` (the work-level id, which does not change
 * between versions). A bracketed clause is its paragraph followed by one paragraph per alternative,
 * each with `alternativeTo` pointing at the clause's eId, as LEOS does.
 */

const AKN_NS = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';

/** AKN uses ISO 639-2 three-letter codes in FRBRlanguage. */
const ISO_639_2: Readonly<Record<string, string>> = {
  en: 'eng',
  uk: 'ukr',
  ru: 'rus',
  fr: 'fra',
  de: 'deu',
  tr: 'tur',
  es: 'spa',
  ar: 'ara',
  zh: 'zho',
  pl: 'pol',
  it: 'ita',
};

export interface AkomaNtosoOptions {
  /** The expression's language; defaults to the first working language. */
  readonly language?: string;
}

export function exportAkomaNtoso(doc: Framework, options: AkomaNtosoOptions = {}): string {
  const lang = chooseLanguages(doc, options.language ? [options.language] : undefined)[0]!;
  const l = labelsFor(lang);
  const names = new PartyNames(doc);
  const { sha256 } = hashFramework(doc);
  const date = doc.process.date ?? '1970-01-01';
  const dateName = doc.process.date ? 'draft' : 'unknown';
  const lang3 = ISO_639_2[lang.split('-')[0]!] ?? lang;
  const work = `/akn/un/act/${date}/${doc.process.id}`;
  const expression = `${work}/${lang3}@${sha256.slice(0, 12)}`;

  const x: string[] = [];
  x.push('<?xml version="1.0" encoding="UTF-8"?>');
  x.push(`<akomaNtoso xmlns="${AKN_NS}">`);
  x.push(`  <act name="framework">`);
  x.push('    <meta>');
  x.push('      <identification source="#entente">');
  x.push(
    `        <FRBRWork><FRBRthis value="${attr(work)}/!main"/><FRBRuri value="${attr(work)}"/><FRBRdate date="${attr(date)}" name="${dateName}"/><FRBRauthor href="#entente"/><FRBRcountry value="un"/></FRBRWork>`,
  );
  x.push(
    `        <FRBRExpression><FRBRthis value="${attr(expression)}/!main"/><FRBRuri value="${attr(expression)}"/><FRBRdate date="${attr(date)}" name="${dateName}"/><FRBRauthor href="#entente"/><FRBRlanguage language="${attr(lang3)}"/></FRBRExpression>`,
  );
  x.push(
    `        <FRBRManifestation><FRBRthis value="${attr(expression)}/!main.xml"/><FRBRuri value="${attr(expression)}.akn"/><FRBRdate date="${attr(date)}" name="${dateName}"/><FRBRauthor href="#entente"/></FRBRManifestation>`,
  );
  x.push('      </identification>');
  x.push('      <references source="#entente">');
  x.push('        <TLCOrganization eId="entente" href="/ontology/organization/entente" showAs="Entente"/>');
  for (const p of doc.parties)
    x.push(
      `        <TLCOrganization eId="party_${attr(p.id)}" href="/ontology/organization/${attr(p.id)}" showAs="${attr(p.name[lang] ?? p.id)}"/>`,
    );
  x.push('      </references>');
  x.push('      <proprietary source="#entente">');
  x.push(`        <entente:version xmlns:entente="urn:entente:framework" sha256="${sha256}" process="${attr(doc.process.id)}"/>`);
  x.push('      </proprietary>');
  x.push('    </meta>');
  x.push('    <preface>');
  x.push(`      <p class="title"><docTitle>${text(doc.process.title[lang] ?? doc.process.id)}</docTitle></p>`);
  x.push('    </preface>');
  x.push('    <body>');
  const sites = [...clauseSites(doc)];
  doc.chapters.forEach((ch, c) => {
    const chp = `chp_${c + 1}`;
    x.push(`      <chapter eId="${chp}" wId="${attr(ch.id)}">`);
    x.push(`        <num>${text(`${l.chapter} ${roman(c + 1)}`)}</num>`);
    x.push(`        <heading>${text(ch.title[lang] ?? '')}</heading>`);
    for (const art of ch.articles) {
      const clauses = sites.filter((s) => s.article === art);
      const n = clauses[0]?.articleNumber ?? 0;
      const artId = `art_${n}`;
      x.push(`        <article eId="${artId}" wId="${attr(art.id)}">`);
      x.push(`          <num>${text(`${l.article} ${n}`)}</num>`);
      x.push(`          <heading>${text(art.title[lang] ?? '')}</heading>`);
      for (const s of clauses) {
        const c0 = s.clause;
        const para = `${artId}__para_${s.clauseIndex + 1}`;
        const status = c0.status === 'deleted' ? ' status="removed"' : '';
        x.push(`          <paragraph eId="${para}" wId="${attr(c0.id)}" class="${c0.status}"${status}>`);
        x.push(`            <num>${s.clauseIndex + 1}.</num>`);
        x.push('            <content>');
        // With alternatives, the paragraph holds the words they complete; each follows as its own paragraph.
        const main = c0.alternatives.length > 0 ? (c0.text[lang] ?? `[${l.pending}]`) : plain(clauseSegments(c0, lang, names));
        x.push(`              <p>${text(main)}</p>`);
        if (c0.part) x.push(`              <p class="machine-readable">${text(describePart(c0.part))}</p>`);
        x.push('            </content>');
        x.push('          </paragraph>');
        c0.alternatives.forEach((alt, i) => {
          const label = alt.label ?? alternativeLabel(i);
          x.push(
            `          <paragraph eId="${para}__alt_${attr(label.toLowerCase())}" wId="${attr(alt.id)}" alternativeTo="${para}" class="alternative">`,
          );
          x.push(`            <num>[${text(label)}]</num>`);
          x.push('            <content>');
          x.push(`              <p>${text(alt.text[lang] ?? `[${l.pending}]`)}</p>`);
          const by = alt.proposedBy
            .map((id) => `<organization refersTo="#party_${attr(id)}">${text(names.list([id]))}</organization>`)
            .join(', ');
          x.push(`              <p class="proposedBy">${text(l.proposedBy)} ${by}</p>`);
          if (alt.part) x.push(`              <p class="machine-readable">${text(describePart(alt.part))}</p>`);
          x.push('            </content>');
          x.push('          </paragraph>');
        });
      }
      x.push('        </article>');
    }
    x.push('      </chapter>');
  });
  x.push('    </body>');
  x.push('  </act>');
  x.push('</akomaNtoso>');
  return x.join('\n') + '\n';
}

/** Characters XML 1.0 cannot carry at all; the schema already refuses them in prose. */
// eslint-disable-next-line no-control-regex -- the XML 1.0 character ranges start with control characters
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
