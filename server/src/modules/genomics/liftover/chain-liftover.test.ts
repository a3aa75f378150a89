import { describe, expect, it } from 'vitest';
import { ChainFileError, ChainLiftover, reverseComplement } from './chain-liftover.js';

// Two chains as UCSC writes them: chr1 with a gap (10 bases deleted in the target build, 5
// inserted), and a piece of chr2 that maps to chr3's reverse strand.
const CHAIN = `chain 100 chr1 1000 + 100 170 chr1 1000 + 200 275 1
30 10 15
30

chain 50 chr2 500 + 0 20 chr3 400 - 0 20 2
20
`;

describe('liftover with a UCSC chain file', () => {
  const lift = ChainLiftover.fromText(CHAIN);

  it('maps positions inside blocks, 1-based, and none in gaps or off every chain', () => {
    expect(lift.map('1', 101)).toEqual({ chrom: '1', pos: 201, reverse: false });
    expect(lift.map('chr1', 130)).toEqual({ chrom: '1', pos: 230, reverse: false });
    expect(lift.map('1', 135)).toBeNull(); // in the 10-base gap
    // After the gap the second block starts at target 140 → query 200 + 30 + 15 = 245.
    expect(lift.map('1', 141)).toEqual({ chrom: '1', pos: 246, reverse: false });
    expect(lift.map('1', 171)).toBeNull();
    expect(lift.map('5', 141)).toBeNull();
  });

  it('maps to the reverse strand counting from the end of the query chromosome', () => {
    expect(lift.map('2', 1)).toEqual({ chrom: '3', pos: 400, reverse: true });
    expect(lift.map('2', 20)).toEqual({ chrom: '3', pos: 381, reverse: true });
    expect(reverseComplement('ACGTN')).toBe('NACGT');
  });

  it('refuses a file that is not a chain file', () => {
    expect(() => ChainLiftover.fromText('hello world\n')).toThrow(ChainFileError);
  });
});
