import { parseInput } from '../../errors/parse-input.js';
import { ResearchPurposeSchema } from '../consent/duo/research-purpose.schema.js';
import { purposeFromArgs, type ResearchPurposeArgs } from '../consent/research-purpose-args.js';

/**
 * A purpose in one canonical form: validated, defaults filled (`commercial: false`, empty lists),
 * lists sorted, free text kept. `{primary: HMB}` and `{primary: HMB, commercial: false}` come out
 * the same, so no door treats them as two purposes. Throws ValidationError on a bad purpose.
 */
export function normalisedPurpose(args: ResearchPurposeArgs): ResearchPurposeArgs {
  const p = parseInput(ResearchPurposeSchema, purposeFromArgs(args));
  return {
    primary: p.primary,
    commercial: p.commercial,
    diseases: [...p.diseases].sort(),
    sensitive: [...p.sensitive].sort(),
    otherText: p.otherText ?? null,
  };
}
