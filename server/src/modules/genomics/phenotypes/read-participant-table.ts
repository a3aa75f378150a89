import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { PhenotypeFormatError } from './phenotype-format-error.js';
import type { ParticipantDemographics, ParticipantSex } from './phenotype-types.js';

const SEXES = new Set<ParticipantSex>(['female', 'male', 'other', 'unknown']);

/**
 * Reads a participants table as `consentome synth` writes it: tab-separated, header
 * `pseudonym  sex  birth_year`. Sex is female|male|other|unknown; birth_year may be empty.
 */
export async function readParticipantTable(path: string): Promise<ParticipantDemographics[]> {
  const out: ParticipantDemographics[] = [];
  const seen = new Set<string>();
  const parser = createReadStream(path).pipe(
    parse({
      delimiter: '\t',
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      from_line: 1,
    }),
  );
  let header = true;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    const line = info.lines;
    if (header) {
      if (record.join('\t').toLowerCase() !== 'pseudonym\tsex\tbirth_year') {
        throw new PhenotypeFormatError('expected the header pseudonym, sex, birth_year', line);
      }
      header = false;
      continue;
    }
    const [participant = '', sex = '', year = ''] = record;
    if (!participant) throw new PhenotypeFormatError('pseudonym is empty', line);
    if (seen.has(participant))
      throw new PhenotypeFormatError(`duplicate participant ${participant}`, line);
    seen.add(participant);
    if (!SEXES.has(sex as ParticipantSex))
      throw new PhenotypeFormatError(`unknown sex "${sex}"`, line);
    const d: ParticipantDemographics = { participant, sex: sex as ParticipantSex };
    if (year !== '') {
      const y = Number(year);
      if (!Number.isInteger(y) || y < 1900 || y > 2100) {
        throw new PhenotypeFormatError(
          `birth_year "${year}" is not a year between 1900 and 2100`,
          line,
        );
      }
      d.birthYear = y;
    }
    out.push(d);
  }
  return out;
}
