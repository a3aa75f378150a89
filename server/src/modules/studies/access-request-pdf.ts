import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { StudyRow } from './study-access.js';
import { ACCESS_REQUEST_SECTIONS, SECTION_NAMES } from './access-request-sections.js';
import type { CollaboratorRow, SavedSections } from './access-request.service.js';

const PAGE: [number, number] = [595.28, 841.89]; // A4 in points
const MARGIN = 50;
const SIZE = 10;
const LEADING = 14;

/**
 * The standard PDF fonts encode WinAnsi only: typographic quotes and dashes become their plain
 * forms, anything else outside Latin-1 a question mark, so any text prints.
 */
export function printable(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[^\n\x20-\x7e\xa0-\xff]/g, '?');
}

/** Writes lines top to bottom, wrapping to the page width and adding pages as they fill. */
export class PdfWriter {
  private page: PDFPage;
  private y: number;

  /** A new A4 document by Consentome with that title (made printable), in Helvetica. */
  static async create(title: string, printedAt: Date): Promise<PdfWriter> {
    const doc = await PDFDocument.create();
    doc.setTitle(printable(title));
    doc.setCreator('Consentome');
    doc.setCreationDate(printedAt);
    return new PdfWriter(
      doc,
      await doc.embedFont(StandardFonts.Helvetica),
      await doc.embedFont(StandardFonts.HelveticaBold),
    );
  }

  private constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  private line(text: string, font: PDFFont, size: number): void {
    if (this.y < MARGIN) {
      this.page = this.doc.addPage(PAGE);
      this.y = PAGE[1] - MARGIN;
    }
    this.page.drawText(text, { x: MARGIN, y: this.y, size, font });
    this.y -= size + (LEADING - SIZE);
  }

  /** A paragraph wrapped at word boundaries to the text width. */
  text(raw: string, options: { bold?: boolean; size?: number } = {}): void {
    const font = options.bold ? this.bold : this.font;
    const size = options.size ?? SIZE;
    const width = PAGE[0] - 2 * MARGIN;
    for (const paragraph of printable(raw).split('\n')) {
      let current = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const next = current ? `${current} ${word}` : word;
        if (current && font.widthOfTextAtSize(next, size) > width) {
          this.line(current, font, size);
          current = word;
        } else current = next;
      }
      this.line(current, font, size);
    }
  }

  gap(): void {
    this.y -= LEADING / 2;
  }

  /** The document's bytes. */
  save(): Promise<Uint8Array> {
    return this.doc.save();
  }
}

const label = (key: string) => key.replace(/([A-Z])/g, ' $1').toLowerCase();

function describe(value: unknown): string {
  if (Array.isArray(value))
    return value.length
      ? value
          .map((v) => (typeof v === 'object' && v ? Object.values(v).join(', ') : String(v)))
          .join('; ')
      : '(none)';
  if (value === null || value === '') return '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * The full data access request as a PDF for the committee's file: the study, each section as
 * saved (or "not filled in"), and the collaborators with whether they confirmed.
 */
export async function accessRequestPdf(
  study: StudyRow,
  sections: SavedSections,
  collaborators: CollaboratorRow[],
  printedAt = new Date(),
): Promise<Uint8Array> {
  const w = await PdfWriter.create(`Data access request: ${study.title}`, printedAt);
  w.text('Data access request', { bold: true, size: 16 });
  w.text(study.title, { bold: true, size: 12 });
  w.text(`Request ${study.id} - status ${study.status.replace('_', ' ')}`);
  w.text(
    `Submitted ${study.submittedAt?.toISOString() ?? 'not yet'}; printed ${printedAt.toISOString()}`,
  );
  w.gap();
  w.text('Lay summary', { bold: true });
  w.text(study.laySummary);
  w.gap();
  for (const name of SECTION_NAMES) {
    w.text(ACCESS_REQUEST_SECTIONS[name].title, { bold: true, size: 12 });
    const data = sections[name];
    if (!data) w.text('Not filled in.');
    else
      for (const [key, value] of Object.entries(data)) w.text(`${label(key)}: ${describe(value)}`);
    if (name === 'collaborators')
      for (const c of collaborators)
        w.text(
          `${c.name} (${c.institution}, ${c.email}): ${
            c.userId
              ? c.confirmedAt
                ? `confirmed ${c.confirmedAt.toISOString()}`
                : 'not confirmed'
              : 'no account here'
          }`,
        );
    w.gap();
  }
  return w.save();
}
