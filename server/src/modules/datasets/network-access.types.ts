import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
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

builder.mutationField('setDatasetNetworkAccess', (t) =>
  t.field({
    type: DatasetType,
    description:
      'Sets whether other network members’ visas open a dataset here (its steward or an admin; audited).',
    authScopes: { roles: ['steward', 'admin'] },
    errors: { types: WRITE_ERRORS },
    args: {
      datasetId: t.arg.id(),
      networkAccess: t.arg({ type: NetworkAccessEnum }),
    },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        setNetworkAccess(tx, ctx.viewer, {
          datasetId: args.datasetId,
          networkAccess: args.networkAccess,
        }),
      ),
  }),
);
