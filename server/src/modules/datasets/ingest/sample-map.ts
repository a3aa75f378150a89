import { readFile } from 'node:fs/promises';
import { ValidationError } from '../../../errors/app-errors.js';

/**
 * Reads a sample map: two tab-separated columns, VCF sample id and participant pseudonym, an
 * optional header line (`sample<TAB>participant`), `#` comments ignored.
 */
export async function readSampleMap(path: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const cols = line.split('\t');
    if (i === 0 && /^sample/i.test(cols[0] ?? '')) continue;
    if (cols.length !== 2 || !cols[0] || !cols[1]) {
      throw new ValidationError(`Sample map line ${i + 1}: expected "sample<TAB>participant"`, [
        { field: 'sampleMap', message: `line ${i + 1}: expected two tab-separated columns` },
      ]);
    }
    if (map.has(cols[0])) {
      throw new ValidationError(`Sample map line ${i + 1}: sample ${cols[0]} is listed twice`, [
        { field: 'sampleMap', message: `line ${i + 1}: duplicate sample` },
      ]);
    }
    map.set(cols[0], cols[1]);
  }
  return map;
}
