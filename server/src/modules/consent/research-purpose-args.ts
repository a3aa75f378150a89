import type { PurposeCategory, SensitiveTopic } from './duo/match-types.js';

/** A research purpose as GraphQL delivers it (absent fields are null). */
export interface ResearchPurposeArgs {
  primary: PurposeCategory;
  diseases?: string[] | null;
  commercial?: boolean | null;
  sensitive?: SensitiveTopic[] | null;
  otherText?: string | null;
  forProfitOrganisation?: boolean | null;
  genetic?: boolean | null;
  institution?: string | null;
  userIds?: string[] | null;
  projectId?: string | null;
  geography?: string | null;
  plannedPublication?: string | null;
}

/** The GraphQL arguments as the matcher's input: nulls dropped, commercial defaulting to false. */
export function purposeFromArgs(args: ResearchPurposeArgs): Record<string, unknown> {
  const out: Record<string, unknown> = {
    primary: args.primary,
    commercial: args.commercial ?? false,
  };
  if (args.diseases) out.diseases = args.diseases;
  if (args.sensitive) out.sensitive = args.sensitive;
  if (args.otherText) out.otherText = args.otherText;
  // The facts the value-carrying modifiers (IS, US, PS, GS, MOR, NPU) are checked against.
  for (const key of [
    'forProfitOrganisation',
    'genetic',
    'institution',
    'userIds',
    'projectId',
    'geography',
    'plannedPublication',
  ] as const) {
    const value = args[key];
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
