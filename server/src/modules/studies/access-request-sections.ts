import { z } from 'zod';

const text = (min: number, max: number, what = 'characters') =>
  z
    .string()
    .trim()
    .min(min, { message: `needs at least ${min} ${what}` })
    .max(max, { message: `may hold at most ${max} ${what}` });
const email = z.string().trim().toLowerCase().email({ message: 'is not an e-mail address' });
const person = z.strictObject({ name: text(2, 200), email });
const affiliated = person.extend({ institution: text(2, 300) });

/** The date an IRB approval runs to, as the form sends it (YYYY-MM-DD). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date (YYYY-MM-DD)' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { message: 'is not a real date' });

/**
 * The sections of a full data access request, in the order the form shows them, each with the
 * schema it must satisfy to count as complete (DUOS's and dbGaP's fields).
 */
export const ACCESS_REQUEST_SECTIONS = {
  research: {
    title: 'Research statement',
    schema: z.strictObject({
      /** The technical research statement the committee judges the request by. */
      technicalStatement: text(100, 10_000),
    }),
  },
  investigator: {
    title: 'Principal investigator',
    schema: z.strictObject({ piName: text(2, 200), piEmail: email, institution: text(2, 300) }),
  },
  collaborators: {
    title: 'Collaborators',
    schema: z.strictObject({
      collaborators: z
        .array(affiliated)
        .max(50)
        .refine((cs) => new Set(cs.map((c) => c.email)).size === cs.length, {
          message: 'names an e-mail twice',
        }),
    }),
  },
  labStaff: {
    title: 'Lab staff',
    schema: z.strictObject({
      internal: z.array(person).max(100),
      external: z.array(affiliated).max(100),
    }),
  },
  security: {
    title: 'IT and data security',
    schema: z
      .strictObject({
        /** The approved cloud the data will live in, or null with a plan of the lab's own. */
        approvedCloud: z.enum(['aws', 'gcp', 'azure', 'terra', 'anvil']).nullable(),
        itPlan: z.string().trim().max(10_000).default(''),
      })
      .refine((s) => s.approvedCloud !== null || s.itPlan.length >= 50, {
        path: ['itPlan'],
        message:
          'describe your IT/security plan (at least 50 characters) or name an approved cloud',
      }),
  },
  publication: {
    title: 'Publication',
    schema: z.strictObject({ intendsToPublish: z.boolean(), plan: text(10, 4_000) }),
  },
  funding: {
    title: 'Funding',
    schema: z.strictObject({
      source: text(2, 500),
      grantNumber: z.string().trim().max(100).default(''),
    }),
  },
  irb: {
    title: 'IRB approval',
    schema: z.strictObject({ protocolNumber: text(2, 100), expiresOn: isoDate }),
  },
} as const;

/** One section's name. */
export type AccessRequestSection = keyof typeof ACCESS_REQUEST_SECTIONS;

/** Every section's name, in form order. */
export const SECTION_NAMES = Object.keys(ACCESS_REQUEST_SECTIONS) as AccessRequestSection[];

/** A section's content once validated. */
export type SectionData<S extends AccessRequestSection> = z.output<
  (typeof ACCESS_REQUEST_SECTIONS)[S]['schema']
>;

/** The collaborators a saved collaborators section names. */
export type Collaborator = SectionData<'collaborators'>['collaborators'][number];

/** True when an IRB approval running to `expiresOn` (YYYY-MM-DD, inclusive) has lapsed at `now`. */
export function irbExpired(expiresOn: string, now = new Date()): boolean {
  return expiresOn < now.toISOString().slice(0, 10);
}
