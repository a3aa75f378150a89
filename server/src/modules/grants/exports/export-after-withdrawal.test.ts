import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerRequest,
  approvedStudyWithGrant,
  openAccessFixture,
  type AccessFixture,
} from '../../../test/access-fixture.js';
import { auditEventsWithAction } from '../../../test/audit-rows.js';
import { createExportRow, fetchExportFile } from '../../../test/export-fixture.js';
import { notificationsOf } from '../../../test/notifications-of.js';
import { TEST_DRIVER } from '../../../test/test-database.js';

/**
 * Issue #11 finding 10: an export made before a withdrawal was still served afterwards, with the
 * withdrawn participant's genotype column. Chosen fix: the download is refused once anyone in the
 * export no longer consents, and the grantee makes a new export (which follows consent now).
 */
describe(`an export after a withdrawal or a "no" (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture();
  }, 180_000);
  afterAll(() => f.dispose());

  const download = (exportId: string, file: 'vcf' | 'manifest.json') =>
    fetchExportFile(f, exportId, file);
  const newExport = (grantId: string) => createExportRow(f, grantId);

  const sampleColumns = async (response: Response) =>
    gunzipSync(Buffer.from(await response.arrayBuffer()))
      .toString()
      .split('\n')
      .find((l) => l.startsWith('#CHROM'))!
      .split('\t')
      .slice(9);

  it('refuses the old export after a withdrawal, audits the refusal, tells the grantee; a new export leaves them out', async () => {
    const { grantId, asked } = await approvedStudyWithGrant(f, {
      criteria: { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 70 },
      participants: 3,
    });
    const before = await newExport(grantId);
    expect(before.participantCount).toBe(3);
    const first = await download(before.id, 'vcf');
    expect(first.status).toBe(200);
    expect(await sampleColumns(first)).toHaveLength(3);

    // One of them withdraws.
    const withdrawn = asked[0]!;
    const res = await f.gql(
      `mutation { withdrawConsent(confirm: true) { __typename } }`,
      {},
      { token: withdrawn.token },
    );
    expect(res.errors).toBeUndefined();

    // The export made before is no longer served, neither the VCF nor its manifest.
    for (const file of ['vcf', 'manifest.json'] as const) {
      const refused = await download(before.id, file);
      expect(refused.status).toBe(409);
      const body = (await refused.json()) as { code: string; error: string };
      expect(body.code).toBe('CONFLICT');
      expect(body.error).toMatch(/can no longer be downloaded.*Create a new export/);
      // The response names nobody.
      expect(JSON.stringify(body)).not.toContain(withdrawn.participantId);
    }
    const refusals = await auditEventsWithAction(f.db.db, 'export.download.refused');
    expect(refusals.filter((e) => e.participantId === null)).toHaveLength(2);
    expect(new Set(refusals.flatMap((e) => (e.participantId ? [e.participantId] : [])))).toEqual(
      new Set([withdrawn.participantId]),
    );
    // No download of the old export was recorded after the withdrawal.
    const downloads = await auditEventsWithAction(f.db.db, 'export.download');
    expect(downloads.filter((e) => e.targetId === before.id)).toHaveLength(1);

    // The grantee was told, in words that say what to do.
    const told = await notificationsOf(f.db.db, 'researcher@demo.local');
    expect(told.some((n) => /can no longer be downloaded: create a new export/.test(n.body))).toBe(
      true,
    );

    // A new export follows consent as it is now and is served.
    const after = await newExport(grantId);
    expect(after.participantCount).toBe(2);
    const fresh = await download(after.id, 'vcf');
    expect(fresh.status).toBe(200);
    expect(await sampleColumns(fresh)).toHaveLength(2);

    // A "no" to the study later refuses that one too.
    await answerRequest(f, asked[1]!, 'DENY');
    expect((await download(after.id, 'vcf')).status).toBe(409);
  });
});
