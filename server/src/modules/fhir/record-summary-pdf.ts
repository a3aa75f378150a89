import { auditActionWording } from '../audit/audit-actions.js';
import { PdfWriter } from '../studies/access-request-pdf.js';
import type { ParticipantEverything } from './patient-everything.service.js';

const SOURCES: Record<string, string> = {
  self_report: 'you reported it',
  clinician: 'a clinician you authorised',
  steward_ingest: 'a study’s data ingest',
};
const FORMATS: Record<string, string> = {
  vcf: 'VCF',
  '23andme': '23andMe',
  ancestrydna: 'AncestryDNA',
};
/** The latest events printed; the FHIR bundle holds all of them. */
const AUDIT_LINES = 50;

/**
 * The participant's record in plain English for reading or printing: what is in it and where
 * each item came from, their genotype files, their consent and the latest uses of their data.
 * The FHIR bundle is the complete, machine-readable copy.
 */
export async function recordSummaryPdf(
  all: ParticipantEverything,
  printedAt = new Date(),
): Promise<Uint8Array> {
  const w = await PdfWriter.create(`Consentome record of ${all.participant.pseudonym}`, printedAt);
  w.text('Your Consentome record', { bold: true, size: 16 });
  w.text(`Participant ${all.participant.pseudonym} - printed ${printedAt.toISOString()}`);
  w.gap();

  const conditions = all.entries.filter((e) => e.kind === 'condition');
  const measurements = all.entries.filter((e) => e.kind === 'measurement');
  w.text('Conditions and phenotypes', { bold: true, size: 12 });
  if (!conditions.length && !all.ingested.length) w.text('None.');
  for (const e of conditions)
    w.text(
      `${e.label ?? e.code} (${e.code})${e.onset ? `, since ${e.onset}` : ''} - source: ${SOURCES[e.source]}${
        e.authorName ? ` (${e.authorName}, ${e.authorInstitution ?? ''})` : ''
      }${e.remarks.some((r) => r.kind === 'dispute') ? ' - you disputed it' : ''}`,
    );
  for (const o of all.ingested)
    w.text(
      `${o.label ?? o.term} (${o.term}) ${o.present ? '' : 'absent '}- source: ${SOURCES.steward_ingest}`,
    );
  w.gap();
  w.text('Measurements', { bold: true, size: 12 });
  if (!measurements.length) w.text('None.');
  for (const e of measurements)
    w.text(
      `${e.code.replace('_', ' ')}: ${e.valueNumber ?? e.valueText ?? ''}${e.unit ? ` ${e.unit}` : ''}${
        e.onset ? ` on ${e.onset}` : ''
      } - source: ${SOURCES[e.source]}`,
    );
  w.gap();
  w.text('Genotypes', { bold: true, size: 12 });
  w.text(
    `${all.vcf.calls} genotype calls (variants you carry) on GRCh38, from the studies you are in and your own uploads. The FHIR bundle holds them as a VCF file.`,
  );
  for (const u of all.uploads)
    w.text(
      `You uploaded ${u.fileName} (${FORMATS[u.format] ?? u.format}, ${u.build}${
        u.liftedOver ? ', converted to GRCh38' : ''
      }) on ${u.createdAt.toISOString().slice(0, 10)}.`,
    );
  w.gap();
  w.text('Your consent', { bold: true, size: 12 });
  w.text(
    `${all.consent.status === 'active' ? 'Active' : 'Not active (you withdrew)'}, version ${
      all.consent.meta?.versionId ?? '0'
    }. Your choices per purpose are in the FHIR bundle (Consent) and on your consent page.`,
  );
  w.gap();
  w.text('Who used your data', { bold: true, size: 12 });
  w.text(
    `${all.audit.length} events about you are on the audit trail; the latest ${Math.min(AUDIT_LINES, all.audit.length)}:`,
  );
  for (const event of all.audit.slice(-AUDIT_LINES).reverse()) {
    const action = event.type && event.subtype?.[0]?.code ? event.subtype[0].code : 'event';
    w.text(
      `${event.recorded.slice(0, 16).replace('T', ' ')} UTC - ${auditActionWording(action)?.sentence ?? action}`,
    );
  }
  return w.save();
}
