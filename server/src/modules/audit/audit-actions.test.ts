import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_SPANISH } from './audit-actions.es.js';
import { AUDIT_ACTION_WORDING, auditActionWording, isKnownAuditAction } from './audit-actions.js';

const SRC = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

// A dotted lower-case literal: how every action is spelled (`user.create`, `grant.close_out`).
const DOTTED = /['`]([a-z][a-z_]*(?:\.[a-z_]+)+)['`]/g;
// Files that append events, or hand an action to code that does.
const APPENDS =
  /appendAuditEvents?\(|appendParticipantEvent\(|refusalAuditedTx\(|auditingRefusals\(|roleGated(?:Write|Read)\(|AuditAction/;

/** Every action literal in the product sources that append audit events. */
function actionLiterals(): { file: string; action: string }[] {
  const found: { file: string; action: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!APPENDS.test(text) || file.endsWith('audit-actions.ts')) continue;
    for (const line of text.split('\n')) {
      // Imports and JSDoc name files and examples, not actions.
      if (/^\s*(import|\*|\/\/)/.test(line)) continue;
      for (const m of line.matchAll(DOTTED))
        found.push({ file: relative(SRC, file), action: m[1]! });
    }
  }
  return found;
}

describe('every audit action has plain words', () => {
  it('registers a sentence and a kind for each action', () => {
    for (const [action, words] of Object.entries(AUDIT_ACTION_WORDING)) {
      expect(words.sentence, action).toMatch(/^[A-Z].*[^.]$/);
      expect(['use', 'own'], action).toContain(words.kind);
    }
  });

  it('registers a Spanish sentence for each action, and none for an unknown one', () => {
    expect(Object.keys(AUDIT_ACTION_SPANISH).sort()).toEqual(
      Object.keys(AUDIT_ACTION_WORDING).sort(),
    );
    for (const [action, words] of Object.entries(AUDIT_ACTION_WORDING)) {
      const spanish = auditActionWording(action, 'es');
      // Starts with a capital (accented or ¿/¡ included), no trailing full stop, not the English.
      expect(spanish?.sentence, action).toMatch(/^[A-ZÁÉÍÓÚÑ¿¡].*[^.]$/u);
      expect(spanish?.sentence, action).not.toBe(words.sentence);
      expect(spanish?.kind, action).toBe(words.kind);
    }
    expect(auditActionWording('review.vote.refused', 'es')?.sentence).toBe(
      'Rechazado: un miembro del comité de ética votó sobre un estudio',
    );
    expect(auditActionWording('myTimeline.refused', 'es')?.sentence).toBe(
      'Se rechazó una solicitud',
    );
  });

  it('finds no action in the sources that the registry lacks', () => {
    const literals = actionLiterals();
    // The scan must see the appenders it is meant to police, or it proves nothing.
    expect(literals.map((l) => l.action)).toEqual(
      // The last two stand in files that append only through appendParticipantEvent.
      expect.arrayContaining([
        'export.include',
        'study.approve',
        'grant.close_out',
        'record.read.own',
        'passkey.add',
      ]),
    );
    const missing = literals.filter(
      (l) =>
        !isKnownAuditAction(l.action) &&
        !(l.action.endsWith('.refused') && auditActionWording(l.action)) &&
        // Payload values and table names in the same files are not actions.
        !NOT_ACTIONS.has(l.action),
    );
    expect(missing).toEqual([]);
  });

  it('words the refusal of a registered action and of any GraphQL field', () => {
    expect(auditActionWording('review.vote.refused')).toEqual({
      sentence: 'Refused: an ethics board member voted on a study',
      kind: 'use',
    });
    expect(auditActionWording('myTimeline.refused')?.sentence).toBe('A request was refused');
    expect(auditActionWording('nothing.like.this')).toBeNull();
  });
});

// Dotted literals in appending files that are not action names (checked by eye when added).
const NOT_ACTIONS = new Set<string>([
  'anchor.batch', // a FHIR extension's field path
  'anchor.height',
  'studies.cohort_snapshot', // a table name in an SQL fragment
  'navigator.credentials.create', // a browser API named in a comment
]);
