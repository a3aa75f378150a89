import { describe, expect, it } from 'vitest';
import { answeredErrors } from './validate';

describe('answeredErrors', () => {
  it('gives the field errors of a refused form action', () => {
    expect(answeredErrors({ values: {}, errors: { statement: 'Say how.' } })).toEqual({
      statement: 'Say how.',
    });
  });

  it('gives none for no answer, a success, or an answer without errors', () => {
    expect(answeredErrors(null)).toEqual({});
    expect(answeredErrors(undefined)).toEqual({});
    expect(answeredErrors({ notice: 'Report sent.' })).toEqual({});
    expect(answeredErrors({ errors: undefined })).toEqual({});
  });
});
