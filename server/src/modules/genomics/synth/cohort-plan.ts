import { SYNTH_CHROMOSOMES, SYNTH_GENES } from './genes.js';
import type { Prng } from './prng.js';

/** Sex codes in the typed arrays; `SEX_NAMES[code]` is the value written. */
export const SEX_NAMES = ['female', 'male', 'other', 'unknown'] as const;
export const MALE = 1;

/** Participants as columns (1M of them must not be 1M objects). */
export interface PlannedParticipants {
  count: number;
  sex: Uint8Array;
  birthYear: Uint16Array;
}

/** Variants in genomic order (chromosome order of SYNTH_CHROMOSOMES, then position). */
export interface PlannedVariants {
  count: number;
  /** Index into SYNTH_CHROMOSOMES. */
  chrom: Uint8Array;
  pos: Int32Array;
  ref: string[];
  alt: string[];
  /** Index into SYNTH_GENES, -1 when intergenic. */
  gene: Int16Array;
  /** Number of carriers. */
  carriers: Uint32Array;
  /** Allele frequency used for zygosity; 0 for rare variants. */
  q: Float32Array;
}

/** Carrier pairs in variant order; `hom` is 1 for two copies (ignored for males on chrX). */
export interface PlannedCalls {
  count: number;
  participant: Uint32Array;
  variant: Uint32Array;
  hom: Uint8Array;
}

/** Sex about evenly split, a few "other"/"unknown"; birth years 1940–2015. */
export function planParticipants(rng: Prng, count: number): PlannedParticipants {
  const sex = new Uint8Array(count);
  const birthYear = new Uint16Array(count);
  for (let i = 0; i < count; i += 1) {
    const u = rng.float();
    sex[i] = u < 0.495 ? 0 : u < 0.99 ? 1 : u < 0.995 ? 2 : 3;
    birthYear[i] = 1940 + rng.int(76);
  }
  return { count, sex, birthYear };
}

const BASES = ['A', 'C', 'G', 'T'] as const;

/** Positions (90 % inside a listed gene, weighted by √length; 10 % intergenic) and alleles. */
export function planVariants(rng: Prng, count: number): PlannedVariants {
  const chromIndex = new Map(SYNTH_CHROMOSOMES.map((c, i) => [c.chrom, i]));
  const geneWeights = cumulative(SYNTH_GENES.map((g) => Math.sqrt(g.end - g.start + 1)));
  const autosomes = SYNTH_CHROMOSOMES.filter((c) => c.chrom !== 'X');
  const chromWeights = cumulative(autosomes.map((c) => c.length));
  const key = new Float64Array(count);
  const geneOf = new Int16Array(count);
  for (let i = 0; i < count; i += 1) {
    if (rng.float() < 0.9) {
      const g = weighted(rng, geneWeights);
      const gene = SYNTH_GENES[g]!;
      const pos = gene.start + rng.int(gene.end - gene.start + 1);
      key[i] = chromIndex.get(gene.chrom)! * 1e9 + pos;
      geneOf[i] = g;
    } else {
      const c = autosomes[weighted(rng, chromWeights)]!;
      key[i] = chromIndex.get(c.chrom)! * 1e9 + 10_000 + rng.int(c.length - 20_000);
      geneOf[i] = -1;
    }
  }
  const order = Uint32Array.from({ length: count }, (_, i) => i).sort((a, b) => key[a]! - key[b]!);
  const v: PlannedVariants = {
    count,
    chrom: new Uint8Array(count),
    pos: new Int32Array(count),
    ref: new Array<string>(count),
    alt: new Array<string>(count),
    gene: new Int16Array(count),
    carriers: new Uint32Array(count),
    q: new Float32Array(count),
  };
  for (let i = 0; i < count; i += 1) {
    const k = key[order[i]!]!;
    const chrom = Math.floor(k / 1e9);
    let pos = k - chrom * 1e9;
    // One record per position keeps the files simple; nudging keeps them sorted.
    if (i > 0 && v.chrom[i - 1] === chrom && pos <= v.pos[i - 1]!) pos = v.pos[i - 1]! + 1;
    v.chrom[i] = chrom;
    v.pos[i] = pos;
    v.gene[i] = geneOf[order[i]!]!;
    const [ref, alt] = alleles(rng);
    v.ref[i] = ref;
    v.alt[i] = alt;
  }
  return v;
}

/** 90 % SNVs, 5 % small deletions, 5 % small insertions (REF bases are random, not GRCh38). */
function alleles(rng: Prng): [string, string] {
  const u = rng.float();
  const ref0 = rng.pick(BASES);
  if (u < 0.9) {
    let alt = rng.pick(BASES);
    while (alt === ref0) alt = rng.pick(BASES);
    return [ref0, alt];
  }
  let extra = '';
  for (let n = 1 + rng.int(3); n > 0; n -= 1) extra += rng.pick(BASES);
  return u < 0.95 ? [ref0 + extra, ref0] : [ref0, ref0 + extra];
}

/**
 * Carrier counts summing to about `calls`: every variant starts rare (1–5 carriers, most with
 * one), then randomly chosen variants are promoted, half of them to common (allele frequency
 * 5–50 %, carriers by Hardy–Weinberg) and half to low frequency (6 carriers up to 5 % of the
 * cohort, log-uniform), until the budget is spent. The last promotion is trimmed to fit.
 */
export function planCarrierCounts(
  rng: Prng,
  v: PlannedVariants,
  participants: number,
  calls: number,
): void {
  const m = v.count;
  let total = 0;
  for (let i = 0; i < m; i += 1) {
    const u = rng.float();
    const c = u < 0.5 ? 1 : u < 0.72 ? 2 : u < 0.85 ? 3 : u < 0.94 ? 4 : 5;
    v.carriers[i] = Math.min(c, participants);
    total += v.carriers[i]!;
  }
  const shuffled = Uint32Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i -= 1) {
    const j = rng.int(i + 1);
    const t = shuffled[i]!;
    shuffled[i] = shuffled[j]!;
    shuffled[j] = t;
  }
  // Too few calls asked for: thin the rare counts towards one carrier each.
  for (let k = 0; total > calls && k < m; k += 1) {
    const i = shuffled[k]!;
    const drop = Math.min(v.carriers[i]! - 1, total - calls);
    v.carriers[i] = v.carriers[i]! - drop;
    total -= drop;
  }
  const lowMax = Math.max(6, Math.floor(participants * 0.05));
  for (let k = 0; total < calls && k < m; k += 1) {
    const i = shuffled[k]!;
    let c: number;
    if (rng.float() < 0.5) {
      const q = 0.05 + 0.45 * rng.float() ** 2;
      v.q[i] = q;
      c = Math.round(participants * (2 * q - q * q));
    } else {
      c = Math.round(Math.exp(Math.log(6) + rng.float() * (Math.log(lowMax) - Math.log(6))));
    }
    c = Math.min(participants, Math.max(c, v.carriers[i]!));
    const extra = Math.min(c - v.carriers[i]!, calls - total);
    v.carriers[i] = v.carriers[i]! + extra;
    total += extra;
  }
}

/** Draws each variant's carriers (distinct participants) and their zygosity, in variant order. */
export function planCalls(rng: Prng, v: PlannedVariants, participants: number): PlannedCalls {
  let total = 0;
  for (let i = 0; i < v.count; i += 1) total += v.carriers[i]!;
  const calls: PlannedCalls = {
    count: total,
    participant: new Uint32Array(total),
    variant: new Uint32Array(total),
    hom: new Uint8Array(total),
  };
  let at = 0;
  const chosen = new Set<number>();
  for (let i = 0; i < v.count; i += 1) {
    const c = v.carriers[i]!;
    const q = v.q[i]!;
    const homP = q > 0 ? q / (2 - q) : 0.02;
    const write = (p: number) => {
      calls.participant[at] = p;
      calls.variant[at] = i;
      calls.hom[at] = rng.float() < homP ? 1 : 0;
      at += 1;
    };
    if (c * 4 >= participants) {
      // Selection sampling: one pass over the cohort, exactly c picked.
      let needed = c;
      for (let p = 0; p < participants && needed > 0; p += 1) {
        if (rng.float() * (participants - p) < needed) {
          write(p);
          needed -= 1;
        }
      }
    } else {
      // Floyd's algorithm: c draws for c distinct values.
      chosen.clear();
      for (let j = participants - c; j < participants; j += 1) {
        const t = rng.int(j + 1);
        const p = chosen.has(t) ? j : t;
        chosen.add(p);
        write(p);
      }
    }
  }
  return calls;
}

function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

function weighted(rng: Prng, cumulativeWeights: Float64Array): number {
  const x = rng.float() * cumulativeWeights[cumulativeWeights.length - 1]!;
  let lo = 0;
  let hi = cumulativeWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulativeWeights[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
