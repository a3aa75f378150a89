import { PhenotypeFormatError } from './phenotype-format-error.js';
import type { PhenotypeObservation } from './phenotype-types.js';

/**
 * Collects observations keyed by participant + term (the stored key): an identical repeat is
 * dropped and counted, a repeat that contradicts the first (present vs absent, other onset) fails.
 */
export class ObservationSet {
  readonly observations: PhenotypeObservation[] = [];
  duplicates = 0;
  private readonly byKey = new Map<string, PhenotypeObservation>();

  add(o: PhenotypeObservation, where: string, line?: number): void {
    const key = `${o.participant}\u0000${o.term}`;
    const prior = this.byKey.get(key);
    if (!prior) {
      this.byKey.set(key, o);
      this.observations.push(o);
      return;
    }
    if (prior.present !== o.present || (prior.onset ?? '') !== (o.onset ?? '')) {
      throw new PhenotypeFormatError(
        `${where}: ${o.participant} has ${o.term} twice with different status or onset`,
        line,
      );
    }
    this.duplicates += 1;
  }
}
