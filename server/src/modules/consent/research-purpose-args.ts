import type { PurposeCategory, SensitiveTopic } from './duo/match-types.js';

/** A research purpose as GraphQL delivers it (absent fields are null). */
export interface ResearchPurposeArgs {
  primary: PurposeCategory;
  diseases?: string[] | null;
  commercial?: boolean | null;
  sensitive?: SensitiveTopic[] | null;
  otherText?: string | null;
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
  return out;
}
