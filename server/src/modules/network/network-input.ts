import { z } from 'zod';

const url = (what: string) =>
  z
    .string()
    .trim()
    .max(256, `${what} must be at most 256 characters`)
    .refine((v) => {
      try {
        const u = new URL(v);
        const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
        return u.protocol === 'https:' || (u.protocol === 'http:' && loopback);
      } catch {
        return false;
      }
    }, `${what} must be an https address (plain http only on localhost)`);

/** A new member institution, as an administrator proposes it (the contract checks it again). */
export const MemberProposalSchema = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'The id is 2 to 32 lowercase letters, digits or dashes'),
  name: z
    .string()
    .trim()
    .min(1, 'Give the institution a name')
    .max(120, 'The name is at most 120 characters')
    .regex(/^[\x20-\x7e]+$/, 'The name must be plain ASCII (it is stored on chain)'),
  writer: z
    .string()
    .trim()
    .regex(/^[a-z]{1,83}1[02-9ac-hj-np-z]{6,}$/, 'The writer must be a bech32 chain address'),
  passportJwksUrl: url('The Passport issuer key set'),
  passportKeyIds: z
    .array(z.string().regex(/^[A-Za-z0-9:_.-]{1,128}$/, 'A key id is 1 to 128 of [A-Za-z0-9:_.-]'))
    .min(1, 'Name at least one Passport key id')
    .max(8, 'At most 8 Passport key ids'),
  beaconUrl: url('The Beacon endpoint'),
});
export type MemberProposal = z.infer<typeof MemberProposalSchema>;

/** What this institution may change about its own entry. */
export const OwnDetailsSchema = MemberProposalSchema.pick({
  name: true,
  passportJwksUrl: true,
  passportKeyIds: true,
  beaconUrl: true,
})
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one detail');
export type OwnDetails = z.infer<typeof OwnDetailsSchema>;

export const MemberIdSchema = MemberProposalSchema.shape.id;
