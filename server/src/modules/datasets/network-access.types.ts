import { builder } from '../../builder.js';
import { roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { DatasetType } from './datasets.types.js';
import { NETWORK_ACCESS, networkAccessOfRow } from './network-access.js';
import { setNetworkAccess } from './network-access.service.js';

const NetworkAccessEnum = builder.enumType('DatasetNetworkAccess', {
  description:
    'Whether other network members’ ControlledAccessGrants visas open a dataset here. none (the default): they open nothing. visa: the other member’s DAC decision is enough for counts; an export needs a purpose recorded here that the dataset’s terms permit. visa_and_local_dac: this site’s own DAC must also approve, before counts and exports.',
  values: NETWORK_ACCESS,
});

builder.objectField(DatasetType, 'networkAccess', (t) =>
  t.field({
    type: NetworkAccessEnum,
    description: 'Whether other network members’ visas open this dataset here.',
    resolve: (d) => networkAccessOfRow(d),
  }),
);

roleGatedWrite('setDatasetNetworkAccess', {
  type: DatasetType,
  description:
    'Sets whether other network members’ visas open a dataset here (its steward or an admin; audited).',
  roles: ['steward', 'admin'],
  args: (t) => ({
    datasetId: t.arg.id(),
    networkAccess: t.arg({ type: NetworkAccessEnum }),
  }),
  run: (tx, viewer, args) =>
    setNetworkAccess(tx, viewer, {
      datasetId: args.datasetId,
      networkAccess: args.networkAccess,
    }),
});
