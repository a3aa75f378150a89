import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { SynthTruth } from './generate-cohort.js';

/** A cohort question; every criterion given must hold (AND). No criteria = everyone. */
export interface CountQuery {
  /** `CHROM-POS-REF-ALT`, chromosome with or without `chr`. */
  variant?: string;
  /** Gene symbol, as in INFO/GENE. */
  gene?: string;
  /** Participants with this term recorded as present. */
  term?: string;
  /** Also count terms below `term` (needs `ancestorsOf`). */
  includeDescendants?: boolean;
  sex?: 'female' | 'male' | 'other' | 'unknown';
  /** Inclusive birth-year bounds. */
  birthYear?: { min?: number; max?: number };
  /** Age in whole years at `asOfYear`, i.e. asOfYear − birthYear, inclusive bounds. */
  age?: { min?: number; max?: number; asOfYear: number };
}

/** Options of `expectedCounts`. */
export interface ExpectedCountOptions {
  /** The term and its ancestors (e.g. `IsAGraph.ancestorsOf`); needed for includeDescendants. */
  ancestorsOf?: (curie: string) => Iterable<string>;
}

/**
 * Counts the participants matching each query by reading a generated cohort's files directly:
 * its own minimal text parsing, no database and not the ingest's VCF reader, so it can serve as
 * an independent oracle for the cohort engine and for the reader itself. Streams every file once.
 */
export async function expectedCounts(
  dir: string,
  queries: readonly CountQuery[],
  options: ExpectedCountOptions = {},
): Promise<number[]> {
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as SynthTruth;
  const people = new Map<string, { sex: string; birthYear: number }>();
  await eachLine(join(dir, truth.participantsFile), (line, n) => {
    if (n === 1) return;
    const [id, sex, year] = line.split('\t');
    people.set(id!, { sex: sex!, birthYear: Number(year) });
  });

  const wantedVariants = new Map<string, Set<string>>();
  const wantedGenes = new Map<string, Set<string>>();
  const wantedTerms = new Map<string, Set<string>>();
  for (const q of queries) {
    if (q.variant) wantedVariants.set(canonicalVariant(q.variant), new Set());
    if (q.gene) wantedGenes.set(q.gene, new Set());
    if (q.term) wantedTerms.set(termKey(q), new Set());
    if (q.term && q.includeDescendants && !options.ancestorsOf) {
      throw new Error('includeDescendants needs the ancestorsOf option');
    }
  }

  if (wantedTerms.size) {
    await eachLine(join(dir, truth.phenotypesFile), (line, n) => {
      if (n === 1) return;
      const [participant, term, status] = line.split('\t');
      if (status !== 'present') return;
      const lineage = options.ancestorsOf ? new Set(options.ancestorsOf(term!)) : undefined;
      for (const [key, set] of wantedTerms) {
        const [wanted, deep] = key.split('|');
        if (term === wanted || (deep === 'deep' && lineage?.has(wanted!))) set.add(participant!);
      }
    });
  }

  if (wantedVariants.size || wantedGenes.size) {
    for (const f of truth.vcfFiles) {
      let samples: string[] = [];
      await eachLine(join(dir, f.file), (line) => {
        if (line.startsWith('##')) return;
        const cols = line.split('\t');
        if (line.startsWith('#')) {
          samples = cols.slice(9);
          return;
        }
        const key = canonicalVariant(`${cols[0]}-${cols[1]}-${cols[3]}-${cols[4]}`);
        const gene = /(?:^|;)GENE=([^;]+)/.exec(cols[7] ?? '')?.[1];
        const sets = [
          wantedVariants.get(key),
          gene === undefined ? undefined : wantedGenes.get(gene),
        ];
        if (!sets[0] && !sets[1]) return;
        for (let i = 9; i < cols.length; i += 1) {
          const gt = cols[i]!.split(':')[0]!;
          if (/[1-9]/.test(gt)) for (const s of sets) s?.add(samples[i - 9]!);
        }
      });
    }
  }

  return queries.map((q) => {
    let count = 0;
    for (const [id, p] of people) {
      if (q.sex && p.sex !== q.sex) continue;
      if (q.birthYear?.min !== undefined && p.birthYear < q.birthYear.min) continue;
      if (q.birthYear?.max !== undefined && p.birthYear > q.birthYear.max) continue;
      if (q.age) {
        const age = q.age.asOfYear - p.birthYear;
        if (q.age.min !== undefined && age < q.age.min) continue;
        if (q.age.max !== undefined && age > q.age.max) continue;
      }
      if (q.variant && !wantedVariants.get(canonicalVariant(q.variant))!.has(id)) continue;
      if (q.gene && !wantedGenes.get(q.gene)!.has(id)) continue;
      if (q.term && !wantedTerms.get(termKey(q))!.has(id)) continue;
      count += 1;
    }
    return count;
  });
}

function termKey(q: CountQuery): string {
  return `${q.term}|${q.includeDescendants ? 'deep' : 'exact'}`;
}

function canonicalVariant(text: string): string {
  const [chrom, pos, ref, alt] = text.trim().split('-');
  const c = (chrom ?? '').replace(/^chr/i, '').toUpperCase();
  return `${c === 'M' ? 'MT' : c}-${Number(pos)}-${(ref ?? '').toUpperCase()}-${(alt ?? '').toUpperCase()}`;
}

async function eachLine(path: string, onLine: (line: string, n: number) => void): Promise<void> {
  let input: Readable = createReadStream(path);
  if (path.endsWith('.gz')) input = input.pipe(createGunzip());
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) onLine(line, (n += 1));
}
