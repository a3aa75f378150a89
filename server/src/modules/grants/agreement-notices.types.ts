import { roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { DataUseAgreementType } from '../dacs/data-use-agreements.types.js';
import { publishAgreementAndTell } from './agreement-notices.js';

roleGatedWrite('publishDataUseAgreement', {
  type: DataUseAgreementType,
  description:
    'An administrator or the committee’s chair publishes a new version of its data use agreement; earlier acceptances no longer count, and the researchers with open requests or active grants under the committee and their signing officials are told to accept it. Audited.',
  roles: ['admin', 'ethics_board'],
  args: (t) => ({ dacId: t.arg.id(), text: t.arg.string() }),
  run: (tx, viewer, args) =>
    publishAgreementAndTell(tx, viewer, { dacId: String(args.dacId), text: args.text }),
});
