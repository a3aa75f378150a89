import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BgzfWriter } from './bgzf-writer.js';

/** Data of both kinds: genotype-like runs (encoded at once) and random bytes (zlib's). */
function mixedData(): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < 24; i++)
    parts.push(
      i % 3 === 0
        ? randomBytes(150_000 + i * 1000)
        : Buffer.from(`\t0/0`.repeat(30_000 + i * 500) + '\t0/1\n', 'latin1'),
    );
  return Buffer.concat(parts);
}

/** Writes `data` in pieces of uneven sizes, honouring `append`'s request to drain. */
async function writeAll(bgzf: BgzfWriter, data: Buffer) {
  for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 13) % 90_000)
    if (bgzf.append(data, at, Math.min(data.length, at + step))) await bgzf.drain();
  return bgzf.finish();
}

describe('BgzfWriter output', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgzf-writer-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const data = mixedData();

  it('writes the same bytes to a file (output buffers reused) as to a stream that keeps every chunk', async () => {
    const file = path.join(dir, 'mixed.gz');
    const out = fs.createWriteStream(file);
    const toFile = await writeAll(new BgzfWriter(out), data);
    await new Promise((resolve) => out.end(resolve));

    // A collector keeps the very buffers it is given: any reuse would show as corruption.
    const kept: Buffer[] = [];
    const collector = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        kept.push(chunk);
        setImmediate(done);
      },
    });
    const toCollector = await writeAll(new BgzfWriter(collector), data);

    const fromFile = fs.readFileSync(file);
    const collected = Buffer.concat(kept);
    // More than a few output buffers' worth, so reuse happened on the file side.
    expect(fromFile.length).toBeGreaterThan(4 * 0x40000);
    expect(collected.equals(fromFile)).toBe(true);
    expect(gunzipSync(fromFile).equals(data)).toBe(true);
    expect(toFile).toEqual(toCollector);
    expect(toFile.bytes).toBe(fromFile.length);
    expect(toFile.sha256).toBe(createHash('sha256').update(fromFile).digest('hex'));
  });

  it('fails with the stream’s error instead of waiting for a drain that never comes', async () => {
    const failing = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        setImmediate(() => done(new Error('disk full')));
      },
    });
    failing.on('error', () => {});
    await expect(writeAll(new BgzfWriter(failing), data)).rejects.toThrow('disk full');
  });

  it('stops at the first append after the stream failed, not at the end of the file', async () => {
    // The stream never asks for a drain (a high-water mark above the whole file), so only the
    // failure itself can make the writer ask its caller to wait, and so learn of it.
    const failing = new Writable({
      highWaterMark: 1 << 30,
      write(_chunk, _encoding, done) {
        done(new Error('disk full'));
      },
    });
    failing.on('error', () => {});
    const bgzf = new BgzfWriter(failing);
    // Genotype-like pieces (encoded at once, so nothing waits for zlib either), a call in every
    // eighth column: a block compresses to about 11 KB. 64 MiB in all.
    const piece = Buffer.from(`${'\t0/0'.repeat(7)}\t0/1`.repeat(0x2000), 'latin1');
    let appended = 0;
    const run = async () => {
      for (let i = 0; i < 256; i++) {
        if (bgzf.append(piece)) await bgzf.drain();
        appended++;
        // The caller's own awaits between pieces (an export's next page of rows from the
        // database), during which the stream's failure arrives: a write's error callback is
        // called on the next tick, before any immediate.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return bgzf.finish();
    };
    await expect(run()).rejects.toThrow('disk full');
    // The first output write happens once 256 KiB of compressed blocks are gathered (about
    // seven pieces); the next append learns of its failure.
    expect(appended).toBeLessThan(16);
  });

  it('fails when the stream is destroyed while the writer waits for its drain', async () => {
    // Destroyed without an error (as a closed connection or an aborted upload is): neither
    // `drain` nor `error` ever comes.
    const closing: Writable = new Writable({
      highWaterMark: 1024,
      write() {
        setImmediate(() => closing.destroy());
      },
    });
    await expect(writeAll(new BgzfWriter(closing), data)).rejects.toThrow(/destroyed|closed/);
  });
});
