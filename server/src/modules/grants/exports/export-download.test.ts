import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedStudyWithGrant,
  openAccessFixture,
  type AccessFixture,
} from '../../../test/access-fixture.js';
import { auditCount, auditEventsWithAction } from '../../../test/audit-rows.js';
import { createExportRow, fetchExportFile } from '../../../test/export-fixture.js';
import { TEST_DRIVER } from '../../../test/test-database.js';
import { BGZF_EOF } from '../../genomics/bgzf/bgzf-writer.js';
import { dataExports } from '../grants.tables.js';

/**
 * Issue #19 item 5: an export is a BGZF VCF with a tabix index in the file store, streamed with
 * byte ranges, under the same authorisation and audit as before.
 */
describe(`export files: streamed, ranged, indexed (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let exportId = '';
  let participantIds: string[] = [];
  let grantId = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-download-'));

  beforeAll(async () => {
    f = await openAccessFixture();
    const approved = await approvedStudyWithGrant(f, {
      criteria: { datasets: [f.panelId], sex: 'female', ageMin: 18, ageMax: 90 },
      participants: 6,
    });
    participantIds = approved.asked.map((p) => p.participantId);
    grantId = approved.grantId;
    exportId = (await createExportRow(f, grantId)).id;
  }, 240_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await f.dispose();
  });

  const get = (file: string, headers: Record<string, string> = {}, token = f.tokens.researcher) =>
    fetchExportFile(f, exportId, file, { headers, token });
  const bytes = async (r: Response) => Buffer.from(await r.arrayBuffer());

  it('keeps the key, size and hash in the row, not the text; the manifest says how to read it', async () => {
    const [row] = await f.db.db.select().from(dataExports).where(eq(dataExports.id, exportId));
    expect(row!.vcf).toBeNull();
    expect(row!.vcfFileKey).toBe(`exports/${exportId}/export.vcf.gz`);
    expect(row!.variantCount).toBeGreaterThan(0);
    const manifest = row!.manifest as { vcf: Record<string, unknown> };
    expect(manifest.vcf).toMatchObject({
      sha256: row!.vcfSha256,
      bytes: row!.vcfBytes,
      samples: 6,
      variants: row!.variantCount,
    });
    expect(manifest.vcf.genotypesWithoutCall).toMatch(/^0\/0 where .* \.\/\. where/);
  });

  it('serves the whole file with its size, ETag and Accept-Ranges; the bytes match the hash', async () => {
    const [row] = await f.db.db.select().from(dataExports).where(eq(dataExports.id, exportId));
    const res = await get('vcf.gz');
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('etag')).toBe(`"${row!.vcfSha256}"`);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    const body = await bytes(res);
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(body.length).toBe(row!.vcfBytes);
    expect(createHash('sha256').update(body).digest('hex')).toBe(row!.vcfSha256);
    expect(body.subarray(body.length - 28).equals(BGZF_EOF)).toBe(true);
    const vcf = gunzipSync(body).toString();
    const header = vcf
      .split('\n')
      .find((l) => l.startsWith('#CHROM'))!
      .split('\t');
    expect(header.slice(9)).toHaveLength(6);
    expect(vcf).toMatch(/^##consentome_absent_calls=/m);
    // The old path answers the same file.
    expect((await bytes(await get('vcf'))).equals(body)).toBe(true);
  });

  it('answers ranges with 206 and Content-Range, and 416 past the end without auditing it', async () => {
    const whole = await bytes(await get('vcf.gz'));
    const first = await get('vcf.gz', { range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${whole.length}`);
    expect(first.headers.get('content-length')).toBe('100');
    expect((await bytes(first)).equals(whole.subarray(0, 100))).toBe(true);
    const tail = await get('vcf.gz', { range: 'bytes=-28' });
    expect(tail.status).toBe(206);
    expect((await bytes(tail)).equals(BGZF_EOF)).toBe(true);
    const middle = await get('vcf.gz', { range: `bytes=50-${whole.length + 1000}` });
    expect(middle.headers.get('content-range')).toBe(
      `bytes 50-${whole.length - 1}/${whole.length}`,
    );
    expect((await bytes(middle)).equals(whole.subarray(50))).toBe(true);
    // If-Range with another version's ETag: the whole file.
    const stale = await get('vcf.gz', { range: 'bytes=0-9', 'if-range': '"not-this-one"' });
    expect(stale.status).toBe(200);
    expect((await bytes(stale)).length).toBe(whole.length);

    const before = await auditCount(f.db.db);
    const past = await get('vcf.gz', { range: `bytes=${whole.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    expect(await auditCount(f.db.db)).toBe(before);
  });

  it('every request is audited against the export; each participant sees the first read only', async () => {
    const downloads = await auditEventsWithAction(f.db.db, 'export.download');
    const ofExport = downloads.filter((e) => e.targetId === exportId);
    // 2 whole + old path + 3 ranges + If-Range whole, from the tests above.
    expect(ofExport).toHaveLength(7);
    expect(ofExport.some((e) => JSON.parse(e.payload).range === '0-99')).toBe(true);
    const perParticipant = downloads.filter((e) => e.participantId !== null);
    expect(perParticipant.map((e) => e.participantId).sort()).toEqual([...participantIds].sort());
  });

  it('serves the tabix index; tabix reads regions of the downloaded file', async () => {
    const vcfBytes = await bytes(await get('vcf.gz'));
    const index = await get('vcf.gz.tbi');
    expect(index.status).toBe(200);
    const tbi = await bytes(index);
    expect(gunzipSync(tbi).subarray(0, 4).toString('latin1')).toBe('TBI\x01');
    const file = path.join(dir, 'export.vcf.gz');
    fs.writeFileSync(file, vcfBytes);
    fs.writeFileSync(`${file}.tbi`, tbi);
    const records = gunzipSync(vcfBytes)
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const [chrom, pos] = records[Math.floor(records.length / 2)]!.split('\t');
    const got = execFileSync('tabix', [file, `${chrom}:${pos}-${pos}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(
      records.filter((l) => {
        const [c, p, , ref] = l.split('\t');
        return c === chrom && Number(p) <= Number(pos) && Number(p) + ref!.length > Number(pos);
      }),
    );
  });

  it('refuses the same files to everyone else, ranges included, and records no download', async () => {
    const before = (await auditEventsWithAction(f.db.db, 'export.download')).length;
    for (const file of ['vcf.gz', 'vcf.gz.tbi', 'manifest.json']) {
      const board = await get(file, { range: 'bytes=0-9' }, f.tokens.ethics);
      expect(board.status, file).toBe(404);
      const anonymous = await fetchExportFile(f, exportId, file, {
        headers: { range: 'bytes=0-9' },
        token: null,
      });
      expect(anonymous.status, file).toBe(401);
    }
    expect((await get('vcf.txt')).status).toBe(404);
    expect((await auditEventsWithAction(f.db.db, 'export.download')).length).toBe(before);
  });
  it('participants are told at the first read of the VCF even after HEAD, index and manifest reads', async () => {
    const second = (await createExportRow(f, grantId)).id;
    const fetchFile = (file: string, init: RequestInit = {}) =>
      fetchExportFile(f, second, file, init);
    const toldOf = async () =>
      (await auditEventsWithAction(f.db.db, 'export.download'))
        .filter((e) => e.participantId !== null && JSON.parse(e.payload).export === second)
        .map((e) => e.participantId)
        .sort();
    expect((await fetchFile('vcf.gz', { method: 'HEAD' })).status).toBe(200);
    expect((await fetchFile('vcf.gz.tbi')).status).toBe(200);
    expect((await fetchFile('manifest.json')).status).toBe(200);
    expect(await toldOf()).toEqual([]);
    const range = await fetchFile('vcf.gz', { headers: { range: 'bytes=0-99' } });
    expect(range.status).toBe(206);
    expect(await toldOf()).toEqual([...participantIds].sort());
    expect((await fetchFile('vcf.gz')).status).toBe(200);
    expect(await toldOf()).toHaveLength(participantIds.length);
  });
});
