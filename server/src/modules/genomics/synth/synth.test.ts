import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_ONTOLOGY_FILES } from '../../ontology/obo/shipped-subsets.js';
import { readOboFile } from '../../ontology/obo/parse-obo.js';
import { readVcf } from '../vcf/read-vcf.js';
import { expectedCounts } from './expected-counts.js';
import { generateSyntheticCohort, type SynthTruth } from './generate-cohort.js';

const root = mkdtempSync(join(tmpdir(), 'synth-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PARAMS = { participants: 1_200, variants: 3_000, calls: 12_000, samplesPerFile: 500 };

describe('generateSyntheticCohort', () => {
  let truth: SynthTruth;
  const dir = join(root, 'a');

  beforeAll(async () => {
    truth = await generateSyntheticCohort({ ...PARAMS, seed: 11, outDir: dir });
  });

  it('is deterministic: the same seed gives the same bytes, another seed does not', async () => {
    const again = join(root, 'b');
    await generateSyntheticCohort({ ...PARAMS, seed: 11, outDir: again });
    const other = join(root, 'c');
    await generateSyntheticCohort({ ...PARAMS, seed: 12, outDir: other });
    const files = readdirSync(dir).sort();
    expect(readdirSync(again).sort()).toEqual(files);
    for (const f of files)
      expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, f)))).toBe(true);
    expect(
      readFileSync(join(other, 'cohort-0001.vcf.gz')).equals(
        readFileSync(join(dir, 'cohort-0001.vcf.gz')),
      ),
    ).toBe(false);
  });

  it('has a realistic spectrum and about the requested number of calls', () => {
    const { one, twoToFive, sixOrMore, common } = truth.spectrum;
    expect(one + twoToFive + sixOrMore + common).toBe(PARAMS.variants);
    expect((one + twoToFive) / PARAMS.variants).toBeGreaterThan(0.7);
    expect(common).toBeGreaterThan(0);
    expect(Math.abs(truth.calls - PARAMS.calls) / PARAMS.calls).toBeLessThan(0.1);
    expect(truth.vcfFiles.map((f) => [f.firstParticipant, f.lastParticipant])).toEqual([
      [0, 499],
      [500, 999],
      [1000, 1199],
    ]);
  });

  it('writes VCFs the reader accepts, holding every call, sorted per chromosome', async () => {
    let calls = 0;
    const carriersByVariant = new Map<string, number>();
    for (const f of truth.vcfFiles) {
      const gen = readVcf(join(dir, f.file));
      let last = { chrom: '', pos: 0 };
      for (;;) {
        const r = await gen.next();
        if (r.done) {
          expect(r.value.samples).toBe(f.lastParticipant - f.firstParticipant + 1);
          expect(r.value.calls).toBe(f.calls);
          break;
        }
        calls += r.value.calls.length;
        for (const v of r.value.variants) {
          if (v.chrom === last.chrom) expect(v.pos).toBeGreaterThan(last.pos);
          last = v;
        }
        for (const c of r.value.calls) {
          const v = r.value.variants[c.variant]!;
          const key = `${v.chrom}-${v.pos}-${v.ref}-${v.alt}`;
          carriersByVariant.set(key, (carriersByVariant.get(key) ?? 0) + 1);
          if (v.chrom === 'X') expect(c.zygosity === 'hemi' ? c.genotype : '1').toBe('1');
        }
      }
    }
    expect(calls).toBe(truth.calls);
    const max = Math.max(...carriersByVariant.values());
    expect(max / PARAMS.participants).toBeGreaterThan(0.05);
  });

  it('expectedCounts recomputes counts from the files, matching truth.json and the reader', async () => {
    const genes = Object.keys(truth.genes).slice(0, 5);
    const hp = await readOboFile(SHIPPED_ONTOLOGY_FILES.HP);
    const mondo = await readOboFile(SHIPPED_ONTOLOGY_FILES.MONDO);
    const ancestorsOf = (t: string) => (t.startsWith('HP:') ? hp : mondo).graph.ancestorsOf(t);
    // A variant with several carriers, found with the reader.
    const gen = readVcf(join(dir, truth.vcfFiles[0]!.file));
    const first = await gen.next();
    await gen.return(undefined as never);
    const batch = first.done ? undefined : first.value;
    const v = batch!.variants[0]!;
    const readerCarriers = new Set<string>();
    for (const f of truth.vcfFiles) {
      for await (const b of readVcf(join(dir, f.file))) {
        for (const c of b.calls) {
          const w = b.variants[c.variant]!;
          if (w.chrom === v.chrom && w.pos === v.pos && w.alt === v.alt)
            readerCarriers.add(c.sample);
        }
      }
    }
    const counts = await expectedCounts(
      dir,
      [
        {},
        { sex: 'female' },
        { variant: `chr${v.chrom}-${v.pos}-${v.ref}-${v.alt}` },
        ...genes.map((gene) => ({ gene })),
        { term: 'HP:0001627' },
        { term: 'HP:0001627', includeDescendants: true },
        {
          term: 'MONDO:0004992',
          includeDescendants: true,
          sex: 'male',
          birthYear: { min: 1960, max: 1990 },
        },
        { age: { min: 30, max: 40, asOfYear: 2020 } },
        { birthYear: { min: 1980, max: 1990 } },
      ],
      { ancestorsOf },
    );
    expect(counts[0]).toBe(PARAMS.participants);
    expect(counts[1]).toBe(truth.sex.female);
    expect(counts[2]).toBe(readerCarriers.size);
    expect(counts.slice(3, 3 + genes.length)).toEqual(genes.map((g) => truth.genes[g]!.carriers));
    const [exact, deep, narrowed, age, years] = counts.slice(3 + genes.length);
    expect(deep).toBeGreaterThan(exact!);
    expect(narrowed).toBeGreaterThan(0);
    expect(age).toBe(years);
  });

  it('writes a plain VCF when asked, and refuses impossible sizes', async () => {
    const plain = join(root, 'plain');
    const t = await generateSyntheticCohort({
      participants: 20,
      variants: 30,
      calls: 60,
      seed: 1,
      outDir: plain,
      gzip: false,
    });
    expect(t.vcfFiles[0]!.file).toBe('cohort-0001.vcf');
    expect(readFileSync(join(plain, 'cohort-0001.vcf'), 'utf8')).toMatch(/^##fileformat=VCFv4.2\n/);
    await expect(
      generateSyntheticCohort({ participants: 5, variants: 10, calls: 5, seed: 1, outDir: plain }),
    ).rejects.toThrow(/calls must be at least variants/);
  });
});
