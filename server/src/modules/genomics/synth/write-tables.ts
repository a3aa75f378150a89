import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { SEX_NAMES, type PlannedParticipants } from './cohort-plan.js';
import type { Prng } from './prng.js';

/** Terms the phenotype table draws from. */
export interface SynthTerms {
  /** HPO phenotypes and MONDO diseases (CURIEs). */
  phenotypes: readonly string[];
  /** HPO onset terms (descendants of HP:0003674). */
  onsets: readonly string[];
}

/** Writes `participants.tsv`: pseudonym, sex, birth_year. */
export async function writeParticipantTable(
  path: string,
  participants: PlannedParticipants,
  pseudonym: (i: number) => string,
): Promise<void> {
  const out = new LineWriter(path);
  await out.line('pseudonym\tsex\tbirth_year');
  for (let i = 0; i < participants.count; i += 1) {
    await out.line(
      `${pseudonym(i)}\t${SEX_NAMES[participants.sex[i]!]}\t${participants.birthYear[i]}`,
    );
  }
  await out.close();
}

/**
 * Writes `phenotypes.tsv`: participant, term, status, onset. Each participant gets 0–4 distinct
 * terms, 90 % present; onset is empty, an HPO onset term, or a date after the birth year.
 * Returns the number of rows.
 */
export async function writePhenotypeTable(
  path: string,
  rng: Prng,
  participants: PlannedParticipants,
  pseudonym: (i: number) => string,
  terms: SynthTerms,
): Promise<number> {
  const out = new LineWriter(path);
  await out.line('participant\tterm\tstatus\tonset');
  let rows = 0;
  const picked = new Set<string>();
  for (let i = 0; i < participants.count; i += 1) {
    const u = rng.float();
    const n = u < 0.3 ? 0 : u < 0.6 ? 1 : u < 0.8 ? 2 : u < 0.92 ? 3 : 4;
    picked.clear();
    for (let j = 0; j < n && picked.size < terms.phenotypes.length; j += 1) {
      let term = rng.pick(terms.phenotypes);
      while (picked.has(term)) term = rng.pick(terms.phenotypes);
      picked.add(term);
      const status = rng.float() < 0.9 ? 'present' : 'absent';
      const o = rng.float();
      let onset = '';
      if (o < 0.4 && terms.onsets.length) onset = rng.pick(terms.onsets);
      else if (o < 0.6) {
        const year = Math.min(2024, participants.birthYear[i]! + rng.int(60));
        onset = `${year}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`;
      }
      await out.line(`${pseudonym(i)}\t${term}\t${status}\t${onset}`);
      rows += 1;
    }
  }
  await out.close();
  return rows;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Buffers lines and writes them in large chunks, honouring back-pressure. */
class LineWriter {
  private readonly stream: WriteStream;
  private parts: string[] = [];

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  async line(text: string): Promise<void> {
    this.parts.push(text);
    if (this.parts.length >= 20_000) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  private async flush(): Promise<void> {
    if (!this.parts.length) return;
    const text = `${this.parts.join('\n')}\n`;
    this.parts = [];
    if (!this.stream.write(text))
      await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }
}
