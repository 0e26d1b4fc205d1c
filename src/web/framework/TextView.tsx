import type { ReactNode } from 'react';
import type { Alternative, Clause, Framework } from '../../core/framework/model';
import { LANGUAGES, useT, type Messages } from '../i18n';
import {
  alternativeLabel,
  anchorId,
  isPending,
  languageName,
  numbered,
  partyDirectory,
  roman,
  textIn,
  titleIn,
  type PartyDirectory,
} from './document';
import { PartChip } from './PartChip';
import { StatusBadge } from './StatusBadge';

type DocWords = Messages['framework']['doc'];

/** The words around the text (Chapter, Article, "proposed by") follow the language of the text when the interface has it. */
function docWords(language: string, fallback: DocWords): DocWords {
  const messages = (LANGUAGES as Readonly<Record<string, Messages>>)[language.split('-')[0]!];
  return messages?.framework.doc ?? fallback;
}

function localeOf(language: string, fallback: string): string {
  const messages = (LANGUAGES as Readonly<Record<string, Messages>>)[language.split('-')[0]!];
  return messages?.meta.locale ?? fallback;
}

interface TextViewProps {
  readonly doc: Framework;
  /** One language, or two side by side. */
  readonly languages: readonly string[];
  readonly clauseHref: (id: string) => string;
  /** The clause last navigated to, marked for a moment. */
  readonly highlighted: string | null;
}

/**
 * The framework as its readers read it: chapters, articles numbered through the document, clauses
 * numbered within their article, bracketed alternatives as diplomats write them, and with two
 * languages each clause's versions side by side on one row.
 */
export function TextView({ doc, languages, clauseHref, highlighted }: TextViewProps) {
  const t = useT();
  const parties = partyDirectory(doc);
  const declared = doc.process.languages;
  const pair = languages.length > 1;
  const words = (l: string) => docWords(l, t.framework.doc);

  const row = (render: (language: string) => ReactNode, className = '') => (
    <div className={`fw-row ${className}`} data-columns={languages.length}>
      {languages.map((l) => (
        <div className="fw-cell" lang={l} key={l}>
          {render(l)}
        </div>
      ))}
    </div>
  );

  return (
    <div className="fw-doc" data-columns={languages.length}>
      <header className="fw-doc-head">
        <h2 className="fw-doc-title">
          {row((l) => (
            <span>{titleIn(doc.process.title, l, declared)}</span>
          ))}
        </h2>
        {(doc.process.version || doc.process.date) &&
          row((l) => (
            <p className="fw-doc-meta">
              {[doc.process.version, doc.process.date && formatDate(doc.process.date, localeOf(l, t.meta.locale))]
                .filter(Boolean)
                .join(' · ')}
            </p>
          ))}
      </header>

      <section className="fw-preamble" id={anchorId.preamble} data-spy="preamble" aria-label={t.framework.preamble} tabIndex={-1}>
        {row(
          (l) => (
            <>
              <h3 className="fw-section-title">{words(l).parties}</h3>
              <dl className="fw-parties">
                {doc.parties.map((p) => (
                  <div key={p.id}>
                    <dt>{parties.short(p.id)}</dt>
                    <dd>{titleIn(p.name, l, declared)}</dd>
                  </div>
                ))}
              </dl>
            </>
          ),
          'fw-row-top',
        )}
        {doc.definitions.length > 0 &&
          row(
            (l) => (
              <>
                <h3 className="fw-section-title">{words(l).definitions}</h3>
                <dl className="fw-definitions">
                  {doc.definitions.map((d) => (
                    <div key={d.id}>
                      <dt>{titleIn(d.term, l, declared)}</dt>
                      <dd>{isPending(d, l) ? <span className="fw-pending">{words(l).pending}</span> : textIn(d.text, l)}</dd>
                    </div>
                  ))}
                </dl>
              </>
            ),
            'fw-row-top',
          )}
      </section>

      {numbered(doc).map((ch) => (
        <section
          className="fw-chapter"
          key={ch.chapter.id}
          id={anchorId.chapter(ch.chapter.id)}
          data-spy={ch.chapter.id}
          tabIndex={-1}
          aria-labelledby={`${anchorId.chapter(ch.chapter.id)}-h`}
        >
          <h3 className="fw-chapter-title" id={`${anchorId.chapter(ch.chapter.id)}-h`}>
            {row((l) => (
              <span>{words(l).chapter(roman(ch.number), titleIn(ch.chapter.title, l, declared))}</span>
            ))}
          </h3>
          {ch.articles.map((a) => (
            <section
              className="fw-article"
              key={a.article.id}
              id={anchorId.article(a.article.id)}
              data-spy={a.article.id}
              tabIndex={-1}
              aria-labelledby={`${anchorId.article(a.article.id)}-h`}
            >
              <h4 className="fw-article-title" id={`${anchorId.article(a.article.id)}-h`}>
                {row((l) => (
                  <span>{words(l).article(a.number, titleIn(a.article.title, l, declared))}</span>
                ))}
              </h4>
              <ol className="fw-clauses">
                {a.article.clauses.map((clause, i) => (
                  <ClauseBlock
                    key={clause.id}
                    clause={clause}
                    number={i + 1}
                    languages={languages}
                    declared={declared}
                    parties={parties}
                    href={clauseHref(clause.id)}
                    highlighted={highlighted === clause.id}
                    pair={pair}
                    words={words}
                  />
                ))}
              </ol>
            </section>
          ))}
        </section>
      ))}
    </div>
  );
}

function ClauseBlock({
  clause,
  number,
  languages,
  declared,
  parties,
  href,
  highlighted,
  pair,
  words,
}: {
  readonly clause: Clause;
  readonly number: number;
  readonly languages: readonly string[];
  readonly declared: readonly string[];
  readonly parties: PartyDirectory;
  readonly href: string;
  readonly highlighted: boolean;
  readonly pair: boolean;
  readonly words: (language: string) => DocWords;
}) {
  const t = useT();
  const alternativesWithParts = clause.alternatives.map((alt, i) => ({ alt, label: alternativeLabel(alt, i) })).filter((x) => x.alt.part);
  return (
    <li
      className={`fw-clause${highlighted ? ' fw-clause-highlighted' : ''}`}
      id={anchorId.clause(clause.id)}
      data-spy={clause.id}
      data-clause={clause.id}
      data-status={clause.status}
      tabIndex={-1}
      value={number}
    >
      <span className="fw-clause-number" aria-hidden="true">
        {number}.
      </span>
      <div className="fw-clause-body">
        <div className="fw-clause-meta">
          {clause.status !== 'agreed' && <StatusBadge status={clause.status} />}
          <a className="fw-anchor" href={href} aria-label={t.framework.clauseLink(clause.id)}>
            #{clause.id}
          </a>
        </div>
        {clause.title && (
          <div className="fw-row fw-clause-title" data-columns={languages.length}>
            {languages.map((l) => (
              <p className="fw-cell" lang={l} key={l}>
                {textIn(clause.title, l) ?? ''}
              </p>
            ))}
          </div>
        )}
        <div className="fw-row" data-columns={languages.length}>
          {languages.map((l) => (
            <div className="fw-cell" lang={l} key={l}>
              <ClauseText clause={clause} language={l} declared={declared} parties={parties} showFallback={!pair} words={words} />
            </div>
          ))}
        </div>
        {(clause.part || alternativesWithParts.length > 0) && (
          <div className="fw-parts" aria-label={t.framework.part.label} role="group">
            {clause.part && <PartChip part={clause.part} parties={parties} />}
            {alternativesWithParts.map(({ alt, label }) => (
              <PartChip key={alt.id} part={alt.part!} parties={parties} label={label} />
            ))}
          </div>
        )}
      </div>
    </li>
  );
}

function ClauseText({
  clause,
  language,
  declared,
  parties,
  showFallback,
  words,
}: {
  readonly clause: Clause;
  readonly language: string;
  readonly declared: readonly string[];
  readonly parties: PartyDirectory;
  readonly showFallback: boolean;
  readonly words: (language: string) => DocWords;
}) {
  const t = useT();
  const w = words(language);
  const own = isPending(clause, language) ? null : textIn(clause.text, language);
  const fallbackLanguage = own === null ? declared.find((l) => l !== language && textIn(clause.text, l) !== null) : undefined;
  const bracketedWhole = clause.status === 'bracketed' && clause.alternatives.length === 0;

  let body: ReactNode;
  if (own === null) {
    body = (
      <>
        <p className="fw-pending">{w.pending}</p>
        {showFallback && fallbackLanguage && (
          <p className="fw-fallback">
            <span className="fw-fallback-label">{w.shownInstead(languageName(fallbackLanguage, localeOf(language, t.meta.locale)))}</span>{' '}
            <span lang={fallbackLanguage}>{textIn(clause.text, fallbackLanguage)}</span>
          </p>
        )}
      </>
    );
  } else if (clause.status === 'deleted') {
    body = (
      <p className="fw-text fw-text-deleted">
        <s>{own}</s>
      </p>
    );
  } else if (bracketedWhole) {
    body = (
      <p className="fw-text">
        <span className="fw-bracket">[</span>
        {own}
        <span className="fw-bracket">]</span>
      </p>
    );
  } else {
    body = <p className="fw-text">{own}</p>;
  }

  return (
    <>
      {body}
      {clause.alternatives.length > 0 && clause.status !== 'deleted' && (
        <ul className="fw-alternatives" aria-label={t.framework.alternativesLabel(clause.alternatives.length)}>
          {clause.alternatives.map((alt, i) => (
            <AlternativeText
              key={alt.id}
              alternative={alt}
              label={alternativeLabel(alt, i)}
              index={i}
              language={language}
              parties={parties}
              words={w}
            />
          ))}
        </ul>
      )}
    </>
  );
}

function AlternativeText({
  alternative,
  label,
  index,
  language,
  parties,
  words,
}: {
  readonly alternative: Alternative;
  readonly label: string;
  readonly index: number;
  readonly language: string;
  readonly parties: PartyDirectory;
  readonly words: DocWords;
}) {
  const text = isPending(alternative, language) ? null : textIn(alternative.text, language);
  return (
    <li className="fw-alternative" data-alternative={label} data-tone={index % 4}>
      <span className="fw-bracket">[</span>
      <span className="fw-alt-label">{label}:</span> {text ?? <span className="fw-pending">{words.pending}</span>}{' '}
      <span className="fw-proposers">
        ({words.proposedBy} {parties.list(alternative.proposedBy)})
      </span>
      <span className="fw-bracket">]</span>
    </li>
  );
}

function formatDate(isoDate: string, locale: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
