import type { OntologyGraph } from '../ontology/ontology-graph.js';
import {
  parseRegion,
  parseVariantKey,
  variantKey,
  type CohortCriteria,
} from './cohort-criteria.js';
import { BitmapArena, RoaringBitmap32 } from './roaring.js';
import { concatUint32 } from './concat-uint32.js';
import type { VariantSite } from '../datasets/ingest/variant-site.js';

/** What the index keeps per participant. */
export interface ParticipantFacts {
  num: number;
  sex: string;
  birthYear: number | null;
  /** Counted in discovery (cohort counts, Beacon): not withdrawn, and allows discovery. */
  eligible: boolean;
  /**
   * Not withdrawn: may be asked about a study or included where their consent allows, whether or
   * not they allow discovery (opting out of counts removes a person from counts only).
   */
  active: boolean;
  /** Standing choices per consent scope, in CONSENT_SCOPES order: p(ermit), d(eny), a(sk). */
  choices: string;
  askEachTime: boolean;
  /**
   * The standing preferences in force were signed by the participant's passkey (false: recorded
   * by the institution, or the defaults).
   */
  signedConsent: boolean;
  /**
   * They stated their own standing choices (false: never; `choices` are then the defaults and
   * the consent given at collection governs them).
   */
  statedOwn: boolean;
  /** Per-disease refinements of DS: MONDO id and p(ermit), d(eny) or a(sk). */
  diseaseChoices?: readonly (readonly [string, string])[];
}

/** The key of the participants who named a disease, and of those who gave it a choice. */
export const namedDiseaseKey = (id: string) => `named:${id}`;
export const diseaseChoiceKey = (id: string, code: 'p' | 'd' | 'a') => `disease:${id}:${code}`;

/** A variant with its carriers (participant numbers, ascending) by zygosity. */
export interface VariantCarriers extends VariantSite {
  carriers: Uint32Array;
  homozygous: Uint32Array;
  hemizygous: Uint32Array;
}

// Above this many carriers a variant keeps a compressed bitmap; below, a plain sorted array is
// smaller and unions of many rare variants are faster as one concatenation.
const DENSE = 2_048;

type Carriers = Uint32Array | RoaringBitmap32;

interface VariantEntry {
  chrom: string;
  pos: number;
  gene: string | null;
  carriers: Carriers;
  homozygous: Uint32Array;
  hemizygous: Uint32Array;
}

/** The choice-bitmap keys a participant belongs to. */
function choiceKeys(p: ParticipantFacts): string[] {
  const keys = [...p.choices].map((c, i) => `${i}:${c}`);
  if (p.askEachTime) keys.push('askEachTime');
  if (p.signedConsent) keys.push('signed');
  if (p.statedOwn) keys.push('stated');
  for (const [id, code] of p.diseaseChoices ?? [])
    keys.push(namedDiseaseKey(id), diseaseChoiceKey(id, code as 'p' | 'd' | 'a'));
  return keys;
}

function store(nums: Uint32Array): Carriers {
  return nums.length > DENSE ? new RoaringBitmap32(nums) : nums;
}

/** Prefix of closure-cache keys over clinician-confirmed terms only. */
const CONFIRMED = 'clinician|';

/**
 * The in-memory cohort index: per-variant carrier sets, phenotype sets, dataset membership, sex
 * and birth year, as compressed bitmaps or sorted arrays of participant numbers. Criteria are
 * evaluated with set algebra; only eligible participants are ever counted.
 */
export class CohortIndex {
  private readonly all = new RoaringBitmap32();
  private readonly eligible = new RoaringBitmap32();
  private readonly active = new RoaringBitmap32();
  private readonly facts = new Map<number, ParticipantFacts>();
  private readonly bySex = new Map<string, RoaringBitmap32>();
  /**
   * `${scope}:${p|d|a}` → participants with that standing choice; plus 'askEachTime', 'signed'
   * and 'stated' (stated their own choices).
   */
  private readonly byChoice = new Map<string, RoaringBitmap32>();
  private readonly byBirthYear = new Map<number, RoaringBitmap32>();
  private readonly datasets = new Map<string, RoaringBitmap32>();
  private readonly variantIds = new Map<string, number>();
  private readonly variants = new Map<number, VariantEntry>();
  private readonly geneVariants = new Map<string, Set<number>>();
  private chromIndex: Map<string, { pos: Int32Array; ids: Int32Array }> | null = null;
  private readonly terms = new Map<string, Uint32Array>();
  /** Terms as clinicians confirmed them (record entries with source `clinician`). */
  private readonly confirmedTerms = new Map<string, Uint32Array>();
  private readonly closureCache = new Map<string, RoaringBitmap32>();
  private readonly geneCache = new Map<string, RoaringBitmap32>();

  constructor(private ontology: OntologyGraph) {}

  /** Counts for monitoring and benchmarks. */
  stats() {
    return {
      participants: this.all.size,
      eligible: this.eligible.size,
      variants: this.variants.size,
      terms: this.terms.size,
    };
  }

  /** The ontology the index expands terms with (also serves DUO disease matching). */
  ontologyGraph(): OntologyGraph {
    return this.ontology;
  }

  /** Replaces the ontology (after an import) and drops what depended on it. */
  setOntology(ontology: OntologyGraph): void {
    this.ontology = ontology;
    this.dropCache(this.closureCache);
  }

  /** Adds or updates one participant. */
  upsertParticipant(p: ParticipantFacts): void {
    const old = this.facts.get(p.num);
    if (old) {
      this.bySex.get(old.sex)?.remove(p.num);
      if (old.birthYear !== null) this.byBirthYear.get(old.birthYear)?.remove(p.num);
      for (const key of choiceKeys(old)) this.byChoice.get(key)?.remove(p.num);
    }
    for (const key of choiceKeys(p))
      (this.byChoice.get(key) ?? this.byChoice.set(key, new RoaringBitmap32()).get(key)!).add(
        p.num,
      );
    this.facts.set(p.num, p);
    this.all.add(p.num);
    if (p.eligible) this.eligible.add(p.num);
    else this.eligible.remove(p.num);
    if (p.active) this.active.add(p.num);
    else this.active.remove(p.num);
    (this.bySex.get(p.sex) ?? this.bySex.set(p.sex, new RoaringBitmap32()).get(p.sex)!).add(p.num);
    if (p.birthYear !== null) {
      const y = p.birthYear;
      (this.byBirthYear.get(y) ?? this.byBirthYear.set(y, new RoaringBitmap32()).get(y)!).add(
        p.num,
      );
    }
  }

  /**
   * Adds many participants to an index that holds none yet (a snapshot load): the same sets as
   * `upsertParticipant` for each in turn, built in one go per set instead of one number at a
   * time (1M participants took 2.6 s one by one; issue #19). Throws on a repeated number.
   */
  loadParticipants(list: readonly ParticipantFacts[]): void {
    if (this.facts.size > 0) throw new Error('loadParticipants fills an empty index only');
    const push = <K>(map: Map<K, number[]>, key: K, num: number) =>
      (map.get(key) ?? map.set(key, []).get(key)!).push(num);
    const bySex = new Map<string, number[]>();
    const byBirthYear = new Map<number, number[]>();
    // Participants share a few combinations of choices: each combination's keys are worked out
    // once (found by the choices string, one interned string per combination in a snapshot, and
    // the flags), and its participants are added to each of its sets at the end.
    const keysOf = new Map<string, string[][]>();
    const byKeys = new Map<string[], number[]>();
    const all = new Uint32Array(list.length);
    const eligible: number[] = [];
    const active: number[] = [];
    list.forEach((p, i) => {
      if (this.facts.has(p.num)) throw new Error(`participant ${p.num} appears twice`);
      this.facts.set(p.num, p);
      all[i] = p.num;
      if (p.eligible) eligible.push(p.num);
      if (p.active) active.push(p.num);
      push(bySex, p.sex, p.num);
      if (p.birthYear !== null) push(byBirthYear, p.birthYear, p.num);
      let keys: string[];
      if (p.diseaseChoices?.length) keys = choiceKeys(p);
      else {
        const flags = (p.askEachTime ? 1 : 0) | (p.signedConsent ? 2 : 0) | (p.statedOwn ? 4 : 0);
        const byFlags = keysOf.get(p.choices) ?? keysOf.set(p.choices, []).get(p.choices)!;
        keys = byFlags[flags] ??= choiceKeys(p);
      }
      push(byKeys, keys, p.num);
    });
    this.all.addMany(all);
    this.eligible.addMany(Uint32Array.from(eligible));
    this.active.addMany(Uint32Array.from(active));
    const into = <K>(target: Map<K, RoaringBitmap32>, key: K, nums: Uint32Array) =>
      (target.get(key) ?? target.set(key, new RoaringBitmap32()).get(key)!).addMany(nums);
    for (const [sex, nums] of bySex) into(this.bySex, sex, Uint32Array.from(nums));
    for (const [year, nums] of byBirthYear) into(this.byBirthYear, year, Uint32Array.from(nums));
    for (const [keys, nums] of byKeys) {
      const members = Uint32Array.from(nums);
      for (const key of keys) into(this.byChoice, key, members);
    }
  }

  /** Sets the participants of a dataset (those with a sample in it). */
  setDatasetMembers(datasetId: string, nums: Uint32Array): void {
    this.datasets.get(datasetId)?.dispose();
    this.datasets.set(datasetId, new RoaringBitmap32(nums));
  }

  /** Sets (or replaces) a variant and all its carriers. */
  setVariant(v: VariantCarriers): void {
    const old = this.variants.get(v.id);
    if (old && old.carriers instanceof RoaringBitmap32) old.carriers.dispose();
    if (!old) {
      this.variantIds.set(variantKey(v.chrom, v.pos, v.ref, v.alt), v.id);
      this.chromIndex = null;
    }
    if (old?.gene && old.gene !== v.gene) this.geneVariants.get(old.gene)?.delete(v.id);
    if (v.gene)
      (this.geneVariants.get(v.gene) ?? this.geneVariants.set(v.gene, new Set()).get(v.gene)!).add(
        v.id,
      );
    this.variants.set(v.id, {
      chrom: v.chrom,
      pos: v.pos,
      gene: v.gene,
      carriers: store(v.carriers),
      homozygous: v.homozygous,
      hemizygous: v.hemizygous,
    });
    if (v.gene) this.dropCacheEntry(this.geneCache, v.gene);
  }

  /**
   * Sets the participants a clinician confirmed a term for; criteria with `termSource:
   * 'clinician'` read these instead of every source.
   */
  setConfirmedTerm(curie: string, nums: Uint32Array): void {
    this.confirmedTerms.set(curie, nums);
    for (const ancestor of this.ontology.ancestors(curie))
      this.dropCacheEntry(this.closureCache, `${CONFIRMED}${ancestor}`);
  }

  /** The terms a clinician confirmed for someone (to clear those no longer confirmed). */
  confirmedTermKeys(): string[] {
    return [...this.confirmedTerms.keys()];
  }

  /** Sets the participants observed with a term (present observations only). */
  setTerm(curie: string, nums: Uint32Array): void {
    this.terms.set(curie, nums);
    // Any cached closure that includes this term is stale: ancestors' closures contain it.
    for (const ancestor of this.ontology.ancestors(curie))
      this.dropCacheEntry(this.closureCache, ancestor);
  }

  /** Participants whose standing choice for `scope` is `choice` (p, d or a), or who ask each time. */
  choiceSet(key: string): RoaringBitmap32 | undefined {
    return this.byChoice.get(key);
  }

  /** The diseases someone currently names in their standing choices (nested purposes). */
  namedDiseases(): string[] {
    const named: string[] = [];
    for (const [key, set] of this.byChoice)
      if (key.startsWith('named:') && set.size > 0) named.push(key.slice('named:'.length));
    return named;
  }

  /** The participants of a dataset. */
  datasetMembers(datasetId: string): RoaringBitmap32 | undefined {
    return this.datasets.get(datasetId);
  }

  /** The participants matching the criteria, eligible ones only, as a count. */
  count(criteria: CohortCriteria): number {
    const arena = new BitmapArena();
    try {
      return this.evaluate(criteria, arena).andCardinality(this.eligible);
    } finally {
      arena.dispose();
    }
  }

  /**
   * The participants matching the criteria who are counted in discovery (the caller disposes
   * the bitmap). For counts and Beacon only: a study's cohort is `studyMembers`.
   */
  members(criteria: CohortCriteria): RoaringBitmap32 {
    return this.matching(criteria, this.eligible);
  }

  /**
   * The participants matching the criteria who have not withdrawn, discoverable or not: the
   * candidates of a study, whose consent then decides (the caller disposes the bitmap).
   */
  studyMembers(criteria: CohortCriteria): RoaringBitmap32 {
    return this.matching(criteria, this.active);
  }

  private matching(criteria: CohortCriteria, within: RoaringBitmap32): RoaringBitmap32 {
    const arena = new BitmapArena();
    try {
      return RoaringBitmap32.and(this.evaluate(criteria, arena), within);
    } finally {
      arena.dispose();
    }
  }

  private evaluate(c: CohortCriteria, arena: BitmapArena): RoaringBitmap32 {
    const acc = arena.own(this.all.clone());
    const and = (b: RoaringBitmap32) => acc.andInPlace(b);
    if (c.datasets?.length)
      and(
        this.union(
          arena,
          c.datasets.map((d) => this.datasets.get(d)),
        ),
      );
    const zyg = c.zygosity ?? 'ANY';
    if (c.variants?.length) {
      const ids = c.variants.map((v) => {
        const k = parseVariantKey(v);
        return this.variantIds.get(variantKey(k.chrom, k.pos, k.ref, k.alt));
      });
      and(
        this.carriersOf(
          arena,
          ids.filter((i): i is number => i !== undefined),
          zyg,
        ),
      );
    }
    if (c.genes?.length) {
      if (zyg === 'ANY')
        and(
          this.union(
            arena,
            c.genes.map((g) => this.geneBitmap(g)),
          ),
        );
      else
        and(
          this.carriersOf(
            arena,
            c.genes.flatMap((g) => [...(this.geneVariants.get(g) ?? [])]),
            zyg,
          ),
        );
    }
    if (c.regions?.length)
      and(
        this.carriersOf(
          arena,
          c.regions.flatMap((r) => this.variantsInRegion(r)),
          zyg,
        ),
      );
    for (const term of [...(c.phenotypes ?? []), ...(c.diseases ?? [])])
      and(this.termClosure(term, c.termSource === 'clinician'));
    if (c.sex) and(this.bySex.get(c.sex) ?? arena.empty());
    if (c.ageMin != null || c.ageMax != null) {
      const thisYear = new Date().getUTCFullYear();
      const years: (RoaringBitmap32 | undefined)[] = [];
      for (const [year, bitmap] of this.byBirthYear) {
        const age = thisYear - year;
        if ((c.ageMin == null || age >= c.ageMin) && (c.ageMax == null || age <= c.ageMax))
          years.push(bitmap);
      }
      and(this.union(arena, years));
    }
    if (c.anyOf?.length)
      and(
        this.union(
          arena,
          c.anyOf.map((g) => this.evaluate(g, arena)),
        ),
      );
    if (c.not) acc.andNotInPlace(this.evaluate(c.not, arena));
    return acc;
  }

  private union(arena: BitmapArena, parts: (RoaringBitmap32 | undefined)[]): RoaringBitmap32 {
    const out = arena.empty();
    for (const p of parts) if (p) out.orInPlace(p);
    return out;
  }

  /** Carriers of any of the variants, filtered by zygosity. */
  private carriersOf(arena: BitmapArena, ids: number[], zygosity: string): RoaringBitmap32 {
    const out = arena.empty();
    const sparse: Uint32Array[] = [];
    for (const id of ids) {
      const v = this.variants.get(id);
      if (!v) continue;
      if (zygosity === 'HOMOZYGOUS') sparse.push(v.homozygous);
      else if (zygosity === 'HETEROZYGOUS') {
        const het = arena.own(
          v.carriers instanceof RoaringBitmap32
            ? v.carriers.clone()
            : new RoaringBitmap32(v.carriers),
        );
        het.removeMany(v.homozygous);
        het.removeMany(v.hemizygous);
        out.orInPlace(het);
      } else if (v.carriers instanceof RoaringBitmap32) out.orInPlace(v.carriers);
      else sparse.push(v.carriers);
    }
    if (sparse.length) out.addMany(concatUint32(sparse));
    return out;
  }

  /**
   * Builds the carrier bitmaps of the `maxGenes` genes with the most variants ahead of the first
   * query, and answers how many it built. A gene's first count otherwise walks every variant of
   * the gene (at 1M variants in 51 genes about 25 ms of CPU each), which on a loaded machine was
   * the p99 of gene counts. The cap bounds the memory (a gene's bitmap is at most ~128 KiB at a
   * million participants); other genes are built on first use, as before.
   */
  warmGeneCache(maxGenes = 2_000): number {
    const genes = [...this.geneVariants]
      .filter(([gene]) => !this.geneCache.has(gene))
      .sort((a, b) => b[1].size - a[1].size)
      .slice(0, Math.max(0, maxGenes - this.geneCache.size));
    for (const [gene] of genes) this.geneBitmap(gene);
    return genes.length;
  }

  /** Carriers of any variant of a gene, cached until the gene's variants change. */
  private geneBitmap(gene: string): RoaringBitmap32 | undefined {
    const hit = this.geneCache.get(gene);
    if (hit) return hit;
    const ids = this.geneVariants.get(gene);
    if (!ids) return undefined;
    const arena = new BitmapArena();
    const built = this.carriersOf(arena, [...ids], 'ANY').clone();
    arena.dispose();
    this.geneCache.set(gene, built);
    return built;
  }

  /** Participants observed with the term or any of its descendants, cached. */
  private termClosure(curie: string, confirmedOnly = false): RoaringBitmap32 {
    const key = confirmedOnly ? `${CONFIRMED}${curie}` : curie;
    const source = confirmedOnly ? this.confirmedTerms : this.terms;
    const hit = this.closureCache.get(key);
    if (hit) return hit;
    // One bitmap per term (each term's members are sorted, which CRoaring builds from in one
    // pass), then one union of them all: 2–3× faster than adding every term's members to one
    // bitmap in term order, which at a broad term over a million participants (1.4M
    // observations) is ~100 ms, the first count's whole cost.
    const arena = new BitmapArena();
    try {
      const parts: RoaringBitmap32[] = [];
      for (const t of this.ontology.descendants(curie)) {
        const nums = source.get(t);
        if (nums?.length) parts.push(arena.own(new RoaringBitmap32(nums)));
      }
      const bitmap = parts.length ? RoaringBitmap32.orMany(parts) : new RoaringBitmap32();
      this.closureCache.set(key, bitmap);
      return bitmap;
    } finally {
      arena.dispose();
    }
  }

  private variantsInRegion(text: string): number[] {
    const { chrom, start, end } = parseRegion(text);
    this.chromIndex ??= this.buildChromIndex();
    const entry = this.chromIndex.get(chrom);
    if (!entry) return [];
    let lo = 0;
    let hi = entry.pos.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (entry.pos[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    const ids: number[] = [];
    for (let i = lo; i < entry.pos.length && entry.pos[i]! <= end; i += 1) ids.push(entry.ids[i]!);
    return ids;
  }

  private buildChromIndex(): Map<string, { pos: Int32Array; ids: Int32Array }> {
    const grouped = new Map<string, [number, number][]>();
    for (const [id, v] of this.variants)
      (grouped.get(v.chrom) ?? grouped.set(v.chrom, []).get(v.chrom)!).push([v.pos, id]);
    const out = new Map<string, { pos: Int32Array; ids: Int32Array }>();
    for (const [chrom, rows] of grouped) {
      rows.sort((a, b) => a[0] - b[0]);
      out.set(chrom, {
        pos: Int32Array.from(rows, (r) => r[0]),
        ids: Int32Array.from(rows, (r) => r[1]),
      });
    }
    return out;
  }

  private dropCacheEntry(cache: Map<string, RoaringBitmap32>, key: string): void {
    cache.get(key)?.dispose();
    cache.delete(key);
  }

  private dropCache(cache: Map<string, RoaringBitmap32>): void {
    for (const b of cache.values()) b.dispose();
    cache.clear();
  }

  /** Every participant's facts (for a snapshot of the index). */
  participantFacts(): IterableIterator<ParticipantFacts> {
    return this.facts.values();
  }

  /** Every dataset and its members, ascending (for a snapshot of the index). */
  *datasetMembersAll(): Generator<[string, Uint32Array]> {
    for (const [id, members] of this.datasets) yield [id, members.toUint32Array()];
  }

  /** Every variant with its carriers, as `setVariant` takes them (for a snapshot). */
  *variantCarriers(): Generator<VariantCarriers> {
    for (const [key, id] of this.variantIds) {
      const v = this.variants.get(id)!;
      const { ref, alt } = parseVariantKey(key);
      yield {
        id,
        chrom: v.chrom,
        pos: v.pos,
        ref,
        alt,
        gene: v.gene,
        carriers: v.carriers instanceof RoaringBitmap32 ? v.carriers.toUint32Array() : v.carriers,
        homozygous: v.homozygous,
        hemizygous: v.hemizygous,
      };
    }
  }

  /** Every phenotype term and its participants (for a snapshot of the index). */
  termMembers(): IterableIterator<[string, Uint32Array]> {
    return this.terms.entries();
  }

  /** Frees every bitmap (the index is unusable afterwards). */
  dispose(): void {
    this.all.dispose();
    this.eligible.dispose();
    this.active.dispose();
    for (const m of [this.bySex, this.byBirthYear, this.datasets] as Map<
      unknown,
      RoaringBitmap32
    >[]) {
      for (const b of m.values()) b.dispose();
    }
    for (const v of this.variants.values())
      if (v.carriers instanceof RoaringBitmap32) v.carriers.dispose();
    this.dropCache(this.closureCache);
    this.dropCache(this.geneCache);
  }
}
