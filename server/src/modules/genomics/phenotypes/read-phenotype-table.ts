import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { canonicalCurie, checkedOnset, checkedTerm } from './curie.js';
import { ObservationSet } from './observation-set.js';
import { PhenotypeFormatError } from './phenotype-format-error.js';
import type {
  PhenotypeImport,
  PhenotypeObservation,
  PhenotypeReadOptions,
} from './phenotype-types.js';

const ALIASES = {
  participant: [
    'participant',
    'participant_id',
    'participantid',
    'pseudonym',
    'subject',
    'subject_id',
    'sample',
    'sample_id',
    'id',
  ],
  term: [
    'term',
    'term_id',
    'curie',
    'hpo',
    'hpo_id',
    'mondo',
    'mondo_id',
    'phenotype',
    'ontology_term',
  ],
  status: ['status', 'observation', 'observed'],
  onset: ['onset', 'onset_date', 'age_of_onset'],
} as const;

type Column = keyof typeof ALIASES;

const STATUS: Record<string, boolean> = {
  present: true,
  observed: true,
  absent: false,
  excluded: false,
};

/**
 * Reads a phenotype table (CSV, TSV or semicolon-separated; the delimiter is sniffed from the
 * first line). A header naming at least participant, term and status is recognised in any column
 * order, with common aliases; a file without a header must be participant, term, status[, onset].
 * Status is present|absent (observed|excluded accepted). Fails on the first bad row.
 */
export async function readPhenotypeTable(
  source: string | Readable,
  options: PhenotypeReadOptions,
): Promise<PhenotypeImport> {
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const first = await peekText(input);
  const firstLine = first.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delimiter = sniffDelimiter(firstLine);
  const parser = input.pipe(
    parse({
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      info: true,
    }),
  );
  const set = new ObservationSet();
  let columns: Record<Column, number> | undefined;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record, info } = item;
      const line = info.lines;
      if (!columns) {
        const detected = headerColumns(record, line);
        columns = detected.columns;
        if (detected.isHeader) continue;
      }
      set.add(row(record, columns, line, options), 'table', line);
    }
  } catch (err) {
    if (err instanceof PhenotypeFormatError) throw err;
    const e = err as { message: string; lines?: number };
    throw new PhenotypeFormatError(`not a readable table: ${e.message}`, e.lines);
  } finally {
    input.destroy();
  }
  if (!columns) throw new PhenotypeFormatError('the file is empty');
  return { observations: set.observations, participants: [], duplicates: set.duplicates };
}

function sniffDelimiter(line: string): string {
  const count = (c: string) => line.split(c).length - 1;
  if (count('\t') > 0) return '\t';
  return count(';') > count(',') ? ';' : ',';
}

function headerColumns(
  record: string[],
  line: number,
): { columns: Record<Column, number>; isHeader: boolean } {
  const names = record.map((f) =>
    f
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const find = (c: Column) => names.findIndex((n) => (ALIASES[c] as readonly string[]).includes(n));
  const found = {
    participant: find('participant'),
    term: find('term'),
    status: find('status'),
    onset: find('onset'),
  };
  if (found.participant >= 0 || found.term >= 0 || found.status >= 0) {
    const missing = (['participant', 'term', 'status'] as const).filter((c) => found[c] < 0);
    if (missing.length) {
      throw new PhenotypeFormatError(
        `missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
        line,
      );
    }
    return { columns: found, isHeader: true };
  }
  if (record.length >= 3 && canonicalCurie(record[1] ?? '')) {
    return {
      columns: { participant: 0, term: 1, status: 2, onset: record.length > 3 ? 3 : -1 },
      isHeader: false,
    };
  }
  throw new PhenotypeFormatError(
    'missing columns: expected a header with participant, term and status (or rows of participant, term, status[, onset])',
    line,
  );
}

function row(
  record: string[],
  columns: Record<Column, number>,
  line: number,
  options: PhenotypeReadOptions,
): PhenotypeObservation {
  const field = (c: Column) => (columns[c] >= 0 ? (record[columns[c]] ?? '').trim() : '');
  const participant = field('participant');
  if (!participant) throw new PhenotypeFormatError('participant is empty', line);
  const termText = field('term');
  if (!termText) throw new PhenotypeFormatError('term is empty', line);
  const term = checkedTerm(termText, options.knownTerm, line);
  const statusText = field('status');
  const present = STATUS[statusText.toLowerCase()];
  if (present === undefined) {
    throw new PhenotypeFormatError(
      `unknown status "${statusText}" (expected present or absent)`,
      line,
    );
  }
  const o: PhenotypeObservation = { participant, term, present };
  const onset = field('onset');
  if (onset) o.onset = checkedOnset(onset, options.knownTerm, line);
  return o;
}

/** Reads the first chunk for sniffing and puts it back. */
async function peekText(input: Readable): Promise<string> {
  const chunk = await new Promise<Buffer | undefined>((resolve, reject) => {
    const finish = (value: Buffer | undefined) => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      input.off('error', onError);
      resolve(value);
    };
    const onReadable = () => {
      const c = input.read() as Buffer | string | null;
      const chunk = c === null ? undefined : Buffer.isBuffer(c) ? c : Buffer.from(c);
      // Put it back at once: were 'end' emitted before, unshift would be refused.
      if (chunk) input.unshift(chunk);
      finish(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (err: Error) => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      reject(err);
    };
    input.once('readable', onReadable);
    input.once('end', onEnd);
    input.once('error', onError);
  });
  return chunk ? chunk.subarray(0, 65536).toString('utf8') : '';
}
