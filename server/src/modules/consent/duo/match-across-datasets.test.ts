import { describe, expect, it } from 'vitest';
import { matchAcrossDatasets } from './match-across-datasets.js';
import { matchDataUse } from './match-data-use.js';
import { MONDO } from './mondo-fixture.js';
import {
  dataUseOf,
  fixtureOntology as ontology,
  purposeOf,
} from '../../../test/duo-test-builders.js';

const purpose = purposeOf({ primary: 'DS', diseases: [MONDO.colorectalCancer] });
const cancer = dataUseOf({
  permission: 'DS',
  diseases: [MONDO.cancer],
  modifiers: ['TS'],
  params: { timeLimitMonths: 24 },
});
const gru = dataUseOf({ modifiers: ['TS', 'IRB'], params: { timeLimitMonths: 12 } });
const diabetes = dataUseOf({
  permission: 'DS',
  diseases: [MONDO.diabetesMellitus],
  modifiers: ['TS'],
  params: { timeLimitMonths: 3 },
});
const rs = dataUseOf({ modifiers: ['RS'] });

describe('matching across datasets', () => {
  it('keeps each dataset’s own result, identical to a single match', () => {
    const result = matchAcrossDatasets(
      purpose,
      [
        { datasetId: 'ds-cancer', dataUse: cancer },
        { datasetId: 'ds-gru', dataUse: gru },
      ],
      ontology,
    );
    expect(result.datasets).toEqual([
      { datasetId: 'ds-cancer', ...matchDataUse(purpose, cancer, ontology) },
      { datasetId: 'ds-gru', ...matchDataUse(purpose, gru, ontology) },
    ]);
    expect(result.decision).toBe('APPROVE');
    expect(result.reasons).toEqual(['2 of 2 dataset(s) approved: ds-cancer, ds-gru']);
  });

  it('the overall decision is the worst one', () => {
    const result = matchAcrossDatasets(
      purpose,
      [
        { datasetId: 'a', dataUse: gru },
        { datasetId: 'b', dataUse: rs },
        { datasetId: 'c', dataUse: diabetes },
      ],
      ontology,
    );
    expect(result.decision).toBe('DENY');
    expect(result.reasons).toEqual([
      '1 of 3 dataset(s) denied: c',
      '1 of 3 dataset(s) need human review: b',
      '1 of 3 dataset(s) approved: a',
    ]);
    expect(
      matchAcrossDatasets(
        purpose,
        [
          { datasetId: 'a', dataUse: gru },
          { datasetId: 'b', dataUse: rs },
        ],
        ontology,
      ).decision,
    ).toBe('ABSTAIN');
  });

  it('grant expiry is the shortest limit among datasets that are not denied', () => {
    const result = matchAcrossDatasets(
      purpose,
      [
        { datasetId: 'cancer', dataUse: cancer },
        { datasetId: 'gru', dataUse: gru },
        { datasetId: 'diabetes', dataUse: diabetes },
      ],
      ontology,
    );
    expect(result.datasets.find((d) => d.datasetId === 'diabetes')?.decision).toBe('DENY');
    expect(result.grantExpiryMonths).toBe(12);
  });

  it('no time limit anywhere leaves the expiry unset', () => {
    expect(
      matchAcrossDatasets(purpose, [{ datasetId: 'r', dataUse: rs }], ontology).grantExpiryMonths,
    ).toBeUndefined();
  });

  it('an empty request is denied with a reason', () => {
    expect(matchAcrossDatasets(purpose, [], ontology)).toEqual({
      decision: 'DENY',
      reasons: ['The request names no dataset'],
      datasets: [],
    });
  });
});
