import { desc, eq } from 'drizzle-orm';
import { exportRoute } from '../modules/grants/exports/export.route.js';
import { dataExports } from '../modules/grants/grants.tables.js';
import { FIXTURE_PUBLIC_URL, mutate, type AccessFixture } from './access-fixture.js';

/** An export's row as the database holds it. */
export type ExportRow = typeof dataExports.$inferSelect;

/**
 * The fixture's researcher makes an export of a grant through the API; answers its row (the
 * grant's newest). Throws unless the API answered success, so a refused export fails the test.
 */
export async function createExportRow(
  f: Pick<AccessFixture, 'gql' | 'db' | 'tokens'>,
  grantId: string,
): Promise<ExportRow> {
  const res = await mutate(f, f.tokens.researcher, 'createExport(grantId: $grantId)', 'id', {
    grantId,
  });
  if (res.__typename !== 'MutationCreateExportSuccess')
    throw new Error(`createExport failed: ${JSON.stringify(res)}`);
  const [row] = await f.db.db
    .select()
    .from(dataExports)
    .where(eq(dataExports.grantId, grantId))
    .orderBy(desc(dataExports.createdAt))
    .limit(1);
  if (!row) throw new Error(`no export row for grant ${grantId}`);
  return row;
}

/**
 * Asks the export route for one file of an export (`vcf`, `vcf.gz`, `manifest.json`, …) with
 * `init`, signed in as `token`: the fixture's researcher unless given, nobody when `null`.
 */
export function fetchExportFile(
  f: Pick<AccessFixture, 'db' | 'services' | 'tokens'>,
  exportId: string,
  file: string,
  { token = f.tokens.researcher, ...init }: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return Promise.resolve(
    exportRoute(f.db.db, f.services.files).handler(
      new Request(`${FIXTURE_PUBLIC_URL}/api/exports/${exportId}/${file}`, { ...init, headers }),
      {},
    ),
  );
}
