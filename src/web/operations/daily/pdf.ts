import fontkit from '@pdf-lib/fontkit';
import regularFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import boldFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatInstant, utcTitle } from '../../format';
import { label, type Messages } from '../../i18n';
import type { DailyReportOut } from '../api';
import { reasonLabel, type DailyReportLabels } from './DailyReport';

/*
 * The daily report as a real PDF, made in the browser with pdf-lib: A4 pages, the same sections as the
 * page, page numbers. The fonts (DejaVu Sans, free licence) are embedded as subsets so Ukrainian text
 * prints; they are fetched from our own origin only when a PDF is made.
 */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const INK = rgb(0.09, 0.13, 0.17);
const MUTED = rgb(0.35, 0.39, 0.44);
const RULE = rgb(0.8, 0.82, 0.85);

class Writer {
  page: PDFPage;
  y: number;
  readonly width = A4[0] - 2 * MARGIN;

  constructor(
    readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height >= MARGIN + 20) return;
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Splits text into lines that fit `width` at `size`. */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/\s+/)) {
        const next = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) <= width || line === '') line = next;
        else {
          lines.push(line);
          line = word;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  text(text: string, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; indent?: number; gap?: number } = {}): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const indent = options.indent ?? 0;
    const leading = size * 1.35;
    for (const line of this.wrap(text, font, size, this.width - indent)) {
      this.ensure(leading);
      this.page.drawText(line, { x: MARGIN + indent, y: this.y - size, size, font, color: options.color ?? INK });
      this.y -= leading;
    }
    this.y -= options.gap ?? 4;
  }

  rule(): void {
    this.ensure(8);
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.width, y: this.y }, thickness: 0.6, color: RULE });
    this.y -= 8;
  }

  table(caption: string, head: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
    const size = 9;
    const row = size * 1.6;
    const first = head.length === 2 ? this.width * 0.75 : this.width * 0.4;
    const rest = (this.width - first) / Math.max(1, head.length - 1);
    const x = (i: number) => MARGIN + (i === 0 ? 0 : first + (i - 1) * rest);
    this.ensure(row * 3 + 14);
    this.text(caption, { size: 11, bold: true, gap: 2 });
    const draw = (cells: readonly (string | number)[], bold: boolean) => {
      const lines = this.wrap(String(cells[0] ?? ''), bold ? this.bold : this.regular, size, first - 6);
      const height = Math.max(1, lines.length) * size * 1.3 + 5;
      this.ensure(height);
      lines.forEach((line, k) =>
        this.page.drawText(line, { x: x(0), y: this.y - size - k * size * 1.3, size, font: bold ? this.bold : this.regular, color: INK }),
      );
      cells.slice(1).forEach((cell, i) => {
        const s = String(cell);
        const font = bold ? this.bold : this.regular;
        const w = font.widthOfTextAtSize(s, size);
        this.page.drawText(s, { x: x(i + 1) + rest - w - 2, y: this.y - size, size, font, color: INK });
      });
      this.y -= height;
      this.page.drawLine({
        start: { x: MARGIN, y: this.y + 2 },
        end: { x: MARGIN + this.width, y: this.y + 2 },
        thickness: bold ? 0.8 : 0.4,
        color: RULE,
      });
    };
    draw(head, true);
    for (const cells of rows) draw(cells, false);
    this.y -= 10;
  }
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.arrayBuffer();
}

export async function dailyReportPdf(
  report: DailyReportOut,
  t: Messages,
  labels: DailyReportLabels,
  precision_m: number | null,
): Promise<Uint8Array> {
  const d = t.live.daily;
  const locale = t.meta.locale;
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const [regularBytes, boldBytes] = await Promise.all([fetchBytes(regularFontUrl), fetchBytes(boldFontUrl)]);
  const regular = await doc.embedFont(regularBytes, { subset: true });
  const bold = await doc.embedFont(boldBytes, { subset: true });
  doc.setTitle(`${d.reportTitle} — ${report.cutoff}`);
  doc.setLanguage(locale);
  doc.setProducer('Entente');
  doc.setCreationDate(new Date());

  const w = new Writer(doc, regular, bold);
  w.text(d.audience[report.audience].toUpperCase(), { size: 8, color: MUTED, gap: 2 });
  w.text(d.reportTitle, { size: 17, bold: true, gap: 4 });
  w.text(d.subtitle(formatInstant(report.from, locale), formatInstant(report.cutoff, locale)), { size: 10, gap: 1 });
  w.text(`${utcTitle(report.from)} – ${utcTitle(report.cutoff)}`, { size: 8, color: MUTED, gap: 8 });
  w.rule();
  w.text(d.summary, { size: 12, bold: true, gap: 2 });
  w.text(d.summaryLine(report.totals), { size: 10, gap: 10 });

  w.table(
    d.byType,
    [t.live.filters.type, d.count, d.observations, d.claims],
    report.byType.map((r) => [label(t.reportTypes, r.type), r.count, r.observations, r.claims]),
  );
  w.table(
    d.byArea,
    [d.area, d.count],
    report.byArea.map((r) => [labels.area(r.area), r.count]),
  );
  w.table(
    d.bySource,
    [t.operations.source, d.count],
    report.bySource.map((r) => [label(t.reportSources, r.source), r.count]),
  );
  if (report.byStatus.length > 0)
    w.table(
      d.byStatus,
      [t.live.filters.status, d.count],
      report.byStatus.map((r) => [label(t.live.statuses, r.status), r.count]),
    );
  w.table(
    d.casualties,
    [t.live.form.category, d.count],
    report.casualties.length === 0
      ? [[d.noCasualties, '']]
      : report.casualties.map((c) => [`${label(t.live.form.categories, c.category)} — ${label(t.live.form.outcomes, c.outcome)}`, c.count]),
  );
  const zoneKeys = (Object.keys(report.zones) as (keyof typeof report.zones)[]).filter((k) => report.zones[k] > 0);
  if (zoneKeys.length > 0)
    w.table(
      d.zonesTitle,
      ['', d.count],
      zoneKeys.map((k) => [d.zones[k], report.zones[k]]),
    );

  w.text(d.notable, { size: 12, bold: true, gap: 4 });
  if (report.notable.length === 0) w.text(d.noNotable, { color: MUTED, gap: 10 });
  report.notable.forEach((n, i) => {
    w.ensure(48);
    w.text(
      `${i + 1}. ${d.caseLabel(n.caseNumber)} · ${n.types.map((x) => label(t.reportTypes, x)).join(', ')} · ${labels.area(n.area)} · ${formatInstant(n.occurredAt, locale)} · ${label(t.live.statuses, n.status)}`,
      { bold: true, size: 9.5, gap: 1 },
    );
    if (n.narrative) w.text(n.narrative, { size: 9.5, indent: 12, gap: 1 });
    const attribution = n.attribution
      ? n.attribution.party === null
        ? t.live.caseView.couldNotAttribute
        : t.live.caseView.attributedTo(labels.party(n.attribution.party), t.live.caseView.confidences[n.attribution.confidence])
      : null;
    const casualties =
      n.casualties.killed > 0 || n.casualties.injured > 0 ? d.killedInjured(n.casualties.killed, n.casualties.injured) : null;
    w.text([n.reasons.map((r) => reasonLabel(t, r)).join('; '), casualties, attribution].filter(Boolean).join(' · '), {
      size: 8.5,
      indent: 12,
      color: MUTED,
      gap: 6,
    });
  });
  w.y -= 6;

  w.text(d.restrictions, { size: 12, bold: true, gap: 4 });
  if (report.accessRestrictions.denials.length === 0) w.text(d.noRestrictions, { color: MUTED, gap: 4 });
  for (const a of report.accessRestrictions.denials) {
    const parts = [formatInstant(a.occurredAt, locale), `${a.place} (${labels.area(a.area)})`];
    if (a.deniedBy) parts.push(d.deniedBy(labels.party(a.deniedBy)));
    if (a.durationMinutes !== null) parts.push(d.minutes(a.durationMinutes));
    if (a.caseNumber !== null) parts.push(d.caseLabel(a.caseNumber));
    w.text(`• ${parts.join(' · ')}`, { size: 9.5, gap: 2 });
  }
  if (report.accessRestrictions.movementRestrictionReports > 0)
    w.text(d.restrictionsFromReports(report.accessRestrictions.movementRestrictionReports), { size: 9.5 });
  w.y -= 8;
  w.rule();
  if (precision_m !== null) w.text(d.precisionNote(precision_m), { size: 8, color: MUTED, gap: 1 });
  w.text(d.boundaryNote, { size: 8, color: MUTED, gap: 1 });
  w.text(d.generated(formatInstant(new Date().toISOString(), locale)), { size: 8, color: MUTED });

  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const text = d.page(i + 1, pages.length);
    page.drawText(text, { x: A4[0] - MARGIN - regular.widthOfTextAtSize(text, 8), y: MARGIN - 20, size: 8, font: regular, color: MUTED });
  });
  return doc.save();
}
