import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approve,
  openAccessFixture,
  permittingParticipants,
  submittedStudy,
  type AccessFixture,
} from '../../../test/access-fixture.js';
import { createExportRow } from '../../../test/export-fixture.js';
import { TEST_DRIVER } from '../../../test/test-database.js';
import { exportMembers } from '../grants.tables.js';
import type { ExportedPhenotype } from './export-phenotypes.js';

// Hearing impairment: reported by one included participant during the test.
const HEARING = 'HP:0000365';

/** Issue #18: exports hold phenotypes and conditions with their source, and say where each field comes from. */
describe(`an export's phenotypes and field sources (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture();
  }, 180_000);
  afterAll(() => f.dispose());

  it('exports the included participants’ conditions with their source, never a private note', async () => {
    const studyId = await submittedStudy(f, {
      criteria: { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 70 },
    });
    const asked = await permittingParticipants(f, studyId, 2);
    const reporter = asked[0]!;
    const added = await f.gql(
      `mutation { addConditionToRecord(input: { code: "${HEARING}", note: "secret note" }) { __typename } }`,
      {},
      { token: reporter.token },
    );
    expect(added.errors).toBeUndefined();
    const grantId = await approve(f, studyId);
    const row = await createExportRow(f, grantId);
    const manifest = row.manifest as {
      samples: string[];
      phenotypes: Record<string, ExportedPhenotype[]>;
      fieldSources: Record<string, string>;
    };
    expect(Object.keys(manifest.phenotypes).sort()).toEqual([...manifest.samples].sort());
    const [member] = await f.db.db
      .select({ sampleId: exportMembers.sampleId })
      .from(exportMembers)
      .where(
        and(
          eq(exportMembers.exportId, row.id),
          eq(exportMembers.participantId, reporter.participantId),
        ),
      );
    expect(manifest.phenotypes[member!.sampleId]).toContainEqual({
      term: HEARING,
      present: true,
      source: 'self_report',
    });
    // The demo panel's ingested phenotypes come with theirs.
    const sources = new Set(
      Object.values(manifest.phenotypes)
        .flat()
        .map((p) => p.source),
    );
    expect([...sources].sort()).toEqual(['self_report', 'steward_ingest']);
    expect(Object.keys(manifest.fieldSources)).toEqual(
      expect.arrayContaining(['vcf (GT per sample)', 'phenotypes[sample][].source']),
    );
    expect(JSON.stringify(manifest)).not.toContain('secret note');
  });
});
