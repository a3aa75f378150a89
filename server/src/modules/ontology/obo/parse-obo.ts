import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { IsAGraph, type IsAEdge } from './is-a-graph.js';
import { OboFormatError } from './obo-format-error.js';

/** The ontologies Consentome imports. */
export type OntologyPrefix = 'HP' | 'MONDO';

/** A term as it will be stored (`ontology_terms`), plus what an import report may show. */
export interface OboTerm {
  curie: string;
  ontology: OntologyPrefix;
  label: string;
  obsolete: boolean;
  /** `replaced_by` of an obsolete term. */
  replacedBy: string[];
  /** Secondary ids (`alt_id`) that old data may still use. */
  altIds: string[];
  synonyms: string[];
}

/** Why something in the file was not imported. */
export type OboSkipReason =
  /** A `[Typedef]` stanza (relation definitions). */
  | 'typedef'
  /** Any other non-Term stanza, e.g. `[Instance]`. */
  | 'other-stanza'
  /** A term outside HP and MONDO (HPO and MONDO import terms of other ontologies). */
  | 'other-prefix'
  /** An is_a edge whose parent is not an imported term. */
  | 'dangling-is-a';

/** A parsed ontology: terms, is_a edges between imported terms, and what was left out. */
export interface OboOntology {
  formatVersion?: string;
  dataVersion?: string;
  terms: OboTerm[];
  /** Only edges whose both ends are imported terms, so they satisfy the foreign keys. */
  edges: IsAEdge[];
  /** Built from `edges`; building it is what rejects cycles. */
  graph: IsAGraph;
  skipped: Partial<Record<OboSkipReason, number>>;
}

const CURIE = /^(HP|MONDO):\d{7}$/;

interface RawTerm {
  line: number;
  id?: string;
  name?: string;
  isA: string[];
  obsolete: boolean;
  replacedBy: string[];
  altIds: string[];
  synonyms: string[];
}

/**
 * Reads OBO 1.2/1.4 line by line. Only the tags Consentome needs are read: id, name, is_a,
 * is_obsolete, replaced_by, alt_id, synonym. Trailing `! comment` and `{qualifiers}` are dropped.
 */
export class OboParser {
  private stanza: 'header' | 'term' | 'skip' = 'header';
  private current: RawTerm | undefined;
  private readonly raw: RawTerm[] = [];
  private readonly skipped: Partial<Record<OboSkipReason, number>> = {};
  private formatVersion: string | undefined;
  private dataVersion: string | undefined;

  /** Feeds one line (without its newline). */
  push(text: string, lineNo: number): void {
    const line = text.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('!')) return;
    if (line.startsWith('[')) {
      this.close();
      if (line === '[Term]') {
        this.stanza = 'term';
        this.current = {
          line: lineNo,
          isA: [],
          obsolete: false,
          replacedBy: [],
          altIds: [],
          synonyms: [],
        };
      } else {
        this.stanza = 'skip';
        this.count(line === '[Typedef]' ? 'typedef' : 'other-stanza');
      }
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new OboFormatError('expected "tag: value"', { line: lineNo });
    const tag = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (this.stanza === 'header') {
      if (tag === 'format-version') this.formatVersion = value;
      if (tag === 'data-version') this.dataVersion = value;
      return;
    }
    const t = this.current;
    if (this.stanza !== 'term' || !t) return;
    switch (tag) {
      case 'id':
        if (t.id !== undefined) throw new OboFormatError('a [Term] has two ids', { line: lineNo });
        t.id = stripTrailer(value);
        break;
      case 'name':
        t.name = value;
        break;
      case 'is_a':
        t.isA.push(stripTrailer(value));
        break;
      case 'is_obsolete':
        t.obsolete = value === 'true';
        break;
      case 'replaced_by':
        t.replacedBy.push(stripTrailer(value));
        break;
      case 'alt_id':
        t.altIds.push(stripTrailer(value));
        break;
      case 'synonym': {
        const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(value);
        if (quoted?.[1] !== undefined) t.synonyms.push(quoted[1].replace(/\\(.)/g, '$1'));
        break;
      }
      default:
        break;
    }
  }

  /** Ends the input: checks ids, drops edges to unknown terms, and rejects is_a cycles. */
  finish(): OboOntology {
    this.close();
    const terms: OboTerm[] = [];
    const known = new Set<string>();
    const keptRaw: RawTerm[] = [];
    for (const r of this.raw) {
      if (r.id === undefined) throw new OboFormatError('a [Term] has no id', { line: r.line });
      const prefix = r.id.slice(0, r.id.indexOf(':'));
      if (prefix !== 'HP' && prefix !== 'MONDO') {
        this.count('other-prefix');
        continue;
      }
      if (!CURIE.test(r.id)) {
        throw new OboFormatError(`malformed term id "${r.id}"`, { line: r.line });
      }
      if (known.has(r.id)) throw new OboFormatError(`duplicate term ${r.id}`, { line: r.line });
      if (!r.name) throw new OboFormatError(`term ${r.id} has no name`, { line: r.line });
      known.add(r.id);
      keptRaw.push(r);
      terms.push({
        curie: r.id,
        ontology: prefix,
        label: r.name,
        obsolete: r.obsolete,
        replacedBy: r.replacedBy,
        altIds: r.altIds,
        synonyms: r.synonyms,
      });
    }
    const edges: IsAEdge[] = [];
    for (const r of keptRaw) {
      for (const parent of new Set(r.isA)) {
        if (known.has(parent)) edges.push({ child: r.id!, parent });
        else this.count('dangling-is-a');
      }
    }
    const result: OboOntology = {
      terms,
      edges,
      graph: new IsAGraph(edges),
      skipped: this.skipped,
    };
    if (this.formatVersion !== undefined) result.formatVersion = this.formatVersion;
    if (this.dataVersion !== undefined) result.dataVersion = this.dataVersion;
    return result;
  }

  private close(): void {
    if (this.stanza === 'term' && this.current) this.raw.push(this.current);
    this.current = undefined;
  }

  private count(reason: OboSkipReason): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }
}

/** `HP:0000118 {source="x"} ! Phenotypic abnormality` → `HP:0000118`. */
function stripTrailer(value: string): string {
  return value
    .replace(/\s*!.*$/, '')
    .replace(/\s*\{.*\}\s*$/, '')
    .trim();
}

/** Parses OBO text held in memory (tests, the shipped subsets). */
export function parseObo(text: string): OboOntology {
  const parser = new OboParser();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) parser.push(lines[i]!, i + 1);
  return parser.finish();
}

/** Parses an OBO file line by line, so a full hp.obo or mondo.obo never sits in memory as text. */
export async function readOboFile(path: string): Promise<OboOntology> {
  const parser = new OboParser();
  const rl = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNo = 0;
  for await (const line of rl) parser.push(line, (lineNo += 1));
  return parser.finish();
}
