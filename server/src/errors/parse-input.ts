import type { z } from 'zod';
import { ValidationError } from './app-errors.js';

/**
 * Parses input with a zod schema; on failure throws one ValidationError naming every bad field,
 * so services validate before they write anything.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(input)',
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new ValidationError(`Invalid input: ${summary}`, issues);
}
