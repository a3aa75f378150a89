import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import type { NetworkAccessRequestRow } from './foreign-grant.js';
import {
  decideNetworkAccessRequest,
  listNetworkAccessRequests,
} from './network-access-requests.service.js';

const NetworkAccessRequestType = builder
  .objectRef<NetworkAccessRequestRow>('NetworkAccessRequest')
  .implement({
    description:
      'A researcher of another network member asking to use one of our datasets on their institution’s DAC visa. Names the institution and the researcher’s pseudonymous id there, never a person.',
    fields: (t) => ({
      id: t.exposeID('id'),
      datasetId: t.exposeID('datasetId'),
      member: t.exposeString('member', { description: 'The institution (chain registry id).' }),
      subject: t.exposeString('subject', {
        description: 'The researcher’s pseudonymous id at that institution (the visa’s sub).',
      }),
      status: t.exposeString('status', { description: 'pending, approved or refused.' }),
      purpose: t.field({ type: 'JSON', resolve: (r) => r.purpose }),
      match: t.field({
        type: 'JSON',
        description: 'The DUO matcher’s verdict on the purpose against the dataset’s terms.',
        resolve: (r) => r.match,
      }),
      decidedByLocalDac: t.boolean({ resolve: (r) => r.decidedBy !== null }),
      decisionNote: t.exposeString('decisionNote', { nullable: true }),
      visaExpiresAt: t.expose('visaExpiresAt', { type: 'DateTime' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

roleGatedRead('networkAccessRequests', {
  type: [NetworkAccessRequestType],
  description: 'Requests from other network members’ researchers, newest first.',
  roles: ['ethics_board', 'admin'],
  run: (tx, viewer) => listNetworkAccessRequests(tx, viewer),
});

roleGatedWrite('decideNetworkAccessRequest', {
  type: NetworkAccessRequestType,
  description:
    'This site’s DAC approves or refuses (with a note) a pending request from another member’s researcher (ethics board or admin; audited).',
  roles: ['ethics_board', 'admin'],
  args: (t) => ({
    id: t.arg.id(),
    approve: t.arg.boolean(),
    note: t.arg.string({ required: false }),
  }),
  run: (tx, viewer, args) => decideNetworkAccessRequest(tx, viewer, args),
});
