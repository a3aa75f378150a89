import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approve,
  mutate,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { TEST_DRIVER } from '../../test/test-database.js';

interface Report {
  dacId: string;
  total: number;
  turnaround: { decided: number; medianDays: number | null };
  months: { month: string; received: number; approved: number; rejected: number; open: number }[];
  categories: { category: string; approved: number; rejected: number; open: number }[];
}

const REPORT = `dacId total turnaround { decided medianDays } months { month received approved rejected open } categories { category approved rejected open }`;

describe(`committee reports (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture();
  }, 180_000);
  afterAll(() => f.dispose());

  const reports = async (token: string) => {
    const res = await f.gql<{ dacReports: Report[] }>(
      `{ dacReports { ${REPORT} } }`,
      {},
      { token },
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.dacReports;
  };

  it('counts volume per month, turnaround and decisions by DUO category; members and admins only', async () => {
    await approve(f, await submittedStudy(f));
    const rejected = await submittedStudy(f, { purpose: { primary: 'GRU', commercial: false } });
    for (const token of [f.tokens.ethics, f.tokens.ethics2])
      await mutate(f, token, 'castVote(input: $vote)', 'status', {
        vote: { studyId: rejected, vote: 'REJECT', rationale: 'The security plan is too thin.' },
      });
    await submittedStudy(f); // still open

    // The panel's committee held all three; the others none.
    const busy = (await reports(f.tokens.ethics)).filter((r) => r.total > 0);
    expect(busy).toHaveLength(1);
    const report = busy[0];
    expect(report!.total).toBe(3);
    expect(report!.turnaround.decided).toBe(2);
    expect(report!.turnaround.medianDays).toBeGreaterThanOrEqual(0);
    const month = new Date().toISOString().slice(0, 7);
    expect(report!.months).toEqual([{ month, received: 3, approved: 1, rejected: 1, open: 1 }]);
    expect(report!.categories).toEqual([
      { category: 'GRU', approved: 0, rejected: 1, open: 0 },
      { category: 'HMB', approved: 1, rejected: 0, open: 1 },
    ]);
    expect((await reports(f.tokens.admin)).filter((r) => r.total > 0).map((r) => r.dacId)).toEqual([
      report!.dacId,
    ]);

    // A researcher is refused; an unknown committee is not found.
    const refused = await f.gql(`{ dacReports { total } }`, {}, { token: f.tokens.researcher });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await f.gql(
      `query($id: ID!) { dacReport(dacId: $id) { total } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      { token: f.tokens.ethics },
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
