import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import type { datasets } from './datasets.tables.js';
import { changeDatasetSetting } from './editable-dataset.js';
import { NetworkAccessSchema, networkAccessOfRow } from './network-access.js';

const SetNetworkAccessInput = z.strictObject({
  datasetId: idSchema,
  networkAccess: NetworkAccessSchema,
});

/**
 * Sets whether other network members' visas open a dataset here (its steward or an admin),
 * audited with the setting before and after. Narrowing takes effect at the next query or
 * export: nothing already approved is re-opened by it, and a `none` dataset refuses every
 * foreign visa at once. Bad input changes nothing.
 */
export async function setNetworkAccess(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<typeof datasets.$inferSelect> {
  const data = parseInput(SetNetworkAccessInput, input);
  return changeDatasetSetting(tx, actor, data.datasetId, {
    action: 'dataset.network_access.change',
    set: { networkAccess: data.networkAccess },
    before: networkAccessOfRow,
    after: data.networkAccess,
  });
}
