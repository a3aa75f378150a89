import { describe, expect, it } from 'vitest';
import { BeaconRequestError } from './beacon-request-error.js';
import { queryFromBody, queryFromSearchParams } from './beacon-request.js';
import { criteriaFromRequestParameters } from './beacon-variant-parameters.js';

describe('Beacon request parsing', () => {
  it('applies the spec defaults: boolean granularity, HIT result sets, skip 0 / limit 10', () => {
    expect(queryFromBody({ meta: { apiVersion: 'v2.0.0' } })).toMatchObject({
      requestedGranularity: 'boolean',
      includeResultsetResponses: 'HIT',
      pagination: { skip: 0, limit: 10 },
      filters: [],
      testMode: false,
    });
    expect(queryFromSearchParams(new URLSearchParams(''))).toMatchObject({
      requestedGranularity: 'boolean',
      includeResultsetResponses: 'HIT',
    });
  });

  it('reads GET filters repeated or comma-separated, and start/end as integer lists', () => {
    const q = queryFromSearchParams(
      new URLSearchParams(
        'filters=HP:0001250,NCIT:C16576&filters=MONDO:0004992&start=99&end=200&geneid=TP53',
      ),
    );
    expect(q.filters.map((f) => f.id)).toEqual(['HP:0001250', 'NCIT:C16576', 'MONDO:0004992']);
    expect(q.requestParameters).toEqual({ start: [99], end: [200], geneId: 'TP53' });
  });

  it('accepts bare CURIEs as filters in a POST body too', () => {
    expect(
      queryFromBody({ query: { filters: ['HP:0001250', { id: 'NCIT:C20197' }] } }).filters,
    ).toEqual([{ id: 'HP:0001250' }, { id: 'NCIT:C20197' }]);
  });

  it('maps a 0-based Beacon start to the 1-based VCF POS of the variant key', () => {
    expect(
      criteriaFromRequestParameters({
        referenceName: 'chr17',
        start: [7674219],
        referenceBases: 'c',
        alternateBases: 't',
        assemblyId: 'GRCh38',
      }),
    ).toEqual({ variants: ['17-7674220-C-T'] });
    // A single number is accepted where the spec wants a one-element array.
    expect(
      criteriaFromRequestParameters({
        referenceName: 'M',
        start: 0,
        referenceBases: 'A',
        alternateBases: 'G',
      }),
    ).toEqual({ variants: ['MT-1-A-G'] });
  });

  it('maps a half-open Beacon range [start, end) to the 1-based inclusive region start+1..end', () => {
    expect(criteriaFromRequestParameters({ referenceName: 'X', start: [99], end: [200] })).toEqual({
      regions: ['X:100-200'],
    });
  });

  it('maps geneId and datasets.datasetIds', () => {
    expect(
      criteriaFromRequestParameters({ geneId: 'BRCA1', datasets: { datasetIds: ['d1'] } }),
    ).toEqual({ genes: ['BRCA1'], datasets: ['d1'] });
  });

  it('refuses what it cannot honour exactly', () => {
    const refuse = (p: Record<string, unknown>) =>
      expect(() => criteriaFromRequestParameters(p)).toThrow(BeaconRequestError);
    refuse({ referenceName: '1', start: [5], end: [5] });
    refuse({ referenceName: '1', start: [1, 2], end: [3, 4] });
    refuse({
      referenceName: '1',
      start: [1],
      referenceBases: 'A',
      alternateBases: 'T',
      assemblyId: 'hg19',
    });
    refuse({ referenceName: '1', start: [1], alternateBases: 'T' });
    refuse({ aminoacidChange: 'V600E' });
    refuse({ whatever: 1 });
  });
});
