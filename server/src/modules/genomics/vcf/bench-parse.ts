/**
 * Parse-rate benchmark for the VCF reader: `npx tsx src/modules/genomics/vcf/bench-parse.ts`.
 * Generates synthetic cohorts (gzip VCF) into a temp dir, reads them back with `readVcf`, and
 * prints calls/s and genotype columns/s. Two shapes: a dense file (many carriers per record,
 * like a cohort of common variants) and a sparse one (mostly singletons, like rare variants,
 * where the time goes into scanning hom-ref columns rather than producing calls).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticCohort } from '../synth/generate-cohort.js';
import { readVcf } from './read-vcf.js';

interface Shape {
  name: string;
  participants: number;
  variants: number;
  calls: number;
}

const SHAPES: Shape[] = [
  {
    name: 'dense (2k samples, ~10% carriers per record)',
    participants: 2_000,
    variants: 20_000,
    calls: 4_000_000,
  },
  {
    name: 'sparse (2k samples, mostly rare variants)',
    participants: 2_000,
    variants: 100_000,
    calls: 400_000,
  },
];

const dir = await mkdtemp(join(tmpdir(), 'vcf-bench-'));
try {
  for (const shape of SHAPES) {
    const out = join(dir, shape.name.split(' ')[0]!);
    const t0 = performance.now();
    const truth = await generateSyntheticCohort({ ...shape, seed: 7, outDir: out });
    const genSeconds = (performance.now() - t0) / 1000;
    const file = join(out, truth.vcfFiles[0]!.file);
    let best = Infinity;
    let calls = 0;
    let records = 0;
    let bytes = 0;
    // The first pass warms the JIT; the best of three is reported.
    for (let run = 0; run < 3; run += 1) {
      const t = performance.now();
      const gen = readVcf(file);
      calls = 0;
      for (;;) {
        const r = await gen.next();
        if (r.done) {
          records = r.value.records;
          bytes = r.value.bytesRead;
          break;
        }
        calls += r.value.calls.length;
      }
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    const genotypes = records * shape.participants;
    console.log(`${shape.name}`);
    console.log(
      `  generate: ${truth.calls.toLocaleString()} calls in ${genSeconds.toFixed(2)} s (${Math.round(truth.calls / genSeconds).toLocaleString()} calls/s)`,
    );
    console.log(`  file: ${records.toLocaleString()} records, ${(bytes / 1e6).toFixed(1)} MB gzip`);
    console.log(
      `  parse: ${calls.toLocaleString()} calls in ${best.toFixed(2)} s = ${Math.round(calls / best).toLocaleString()} calls/s, ${Math.round(genotypes / best / 1e6)} M genotype columns/s`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
