import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { users } from '../accounts/accounts.tables.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { notify } from '../notifications/notify.js';
import {
  ACCESS_REQUEST_SECTIONS,
  SECTION_NAMES,
  irbExpired,
  type AccessRequestSection,
  type Collaborator,
} from './access-request-sections.js';
import { studyApplications, studyCollaborators } from './access-request.tables.js';
import { studies } from './studies.tables.js';
import { assertDraft, ownStudy, type StudyRow } from './study-access.js';

/** A request's saved sections by name (each valid when it was saved). */
export type SavedSections = Partial<Record<AccessRequestSection, Record<string, unknown>>>;

/** A named collaborator row. */
export type CollaboratorRow = typeof studyCollaborators.$inferSelect;

function sectionName(section: unknown): AccessRequestSection {
  if (typeof section === 'string' && SECTION_NAMES.includes(section as AccessRequestSection))
    return section as AccessRequestSection;
  throw new ValidationError('No such section of a data access request', [
    { field: 'section', message: `is one of ${SECTION_NAMES.join(', ')}` },
  ]);
}

/** Validates one section; its field errors are named `<section>.<field>`. */
function parseSection(section: AccessRequestSection, data: unknown): Record<string, unknown> {
  try {
    return parseInput(ACCESS_REQUEST_SECTIONS[section].schema, data) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const title = ACCESS_REQUEST_SECTIONS[section].title;
    throw new ValidationError(
      `“${title}” is not complete: ${error.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
      error.issues.map((i) => ({ field: `${section}.${i.field}`, message: i.message })),
    );
  }
}

/** The saved sections of a study's request (empty before the first save). */
export async function savedSections(tx: Tx, studyId: string): Promise<SavedSections> {
  const [row] = await tx
    .select({ sections: studyApplications.sections })
    .from(studyApplications)
    .where(eq(studyApplications.studyId, studyId));
  return (row?.sections as SavedSections | undefined) ?? {};
}

/** The collaborators a request names, in the order they were added. */
export function collaboratorsOf(tx: Tx, studyId: string): Promise<CollaboratorRow[]> {
  return tx
    .select()
    .from(studyCollaborators)
    .where(eq(studyCollaborators.studyId, studyId))
    .orderBy(studyCollaborators.createdAt, studyCollaborators.email);
}

/**
 * Keeps the collaborator rows in step with the saved section: removed ones go, new ones are
 * matched to accounts by e-mail and, when they have one, asked to confirm. A collaborator kept
 * keeps their confirmation.
 */
async function syncCollaborators(tx: Tx, study: StudyRow, listed: Collaborator[]): Promise<void> {
  const emails = listed.map((c) => c.email);
  await tx
    .delete(studyCollaborators)
    .where(
      and(
        eq(studyCollaborators.studyId, study.id),
        ...(emails.length ? [notInArray(studyCollaborators.email, emails)] : []),
      ),
    );
  const existing = new Set((await collaboratorsOf(tx, study.id)).map((c) => c.email));
  const added = listed.filter((c) => !existing.has(c.email));
  for (const c of listed.filter((c) => existing.has(c.email)))
    await tx
      .update(studyCollaborators)
      .set({ name: c.name, institution: c.institution })
      .where(and(eq(studyCollaborators.studyId, study.id), eq(studyCollaborators.email, c.email)));
  if (!added.length) return;
  const accounts = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(
        inArray(
          users.email,
          added.map((c) => c.email),
        ),
        isNull(users.disabledAt),
      ),
    );
  const byEmail = new Map(accounts.map((a) => [a.email.toLowerCase(), a.id]));
  await tx.insert(studyCollaborators).values(
    added.map((c) => ({
      studyId: study.id,
      email: c.email,
      name: c.name,
      institution: c.institution,
      userId: byEmail.get(c.email) ?? null,
    })),
  );
  const toAsk = added.flatMap((c) => byEmail.get(c.email) ?? []);
  if (toAsk.length)
    await notify(tx, toAsk, {
      kind: 'collaboration_requested',
      title: 'Confirm a collaboration',
      body: `You are named as a collaborator on “${study.title}”. Confirm it so the request can be submitted.`,
      link: `/studies/collaborations`,
    });
}

/**
 * The owner saves one section of a draft's full request. The section must validate (per-field
 * errors otherwise, nothing saved); an IRB approval that has already lapsed is refused.
 */
export async function saveAccessRequestSection(
  tx: Tx,
  actor: Actor | null,
  studyId: unknown,
  section: unknown,
  data: unknown,
  now = new Date(),
): Promise<StudyRow> {
  const name = sectionName(section);
  const parsed = parseSection(name, data);
  const study = await ownStudy(tx, actor, studyId);
  assertDraft(study);
  if (name === 'irb' && irbExpired(parsed.expiresOn as string, now))
    throw new ValidationError('The IRB approval has expired', [
      { field: 'irb.expiresOn', message: 'is in the past: renew the approval first' },
    ]);
  const sections = { ...(await savedSections(tx, study.id)), [name]: parsed };
  await tx
    .insert(studyApplications)
    .values({ studyId: study.id, sections, updatedAt: now })
    .onConflictDoUpdate({ target: studyApplications.studyId, set: { sections, updatedAt: now } });
  if (name === 'collaborators')
    await syncCollaborators(tx, study, parsed.collaborators as Collaborator[]);
  const [updated] = await tx
    .update(studies)
    .set({ updatedAt: now })
    .where(eq(studies.id, study.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'study.application.save',
    targetType: 'study',
    targetId: study.id,
    payload: { section: name },
  });
  return updated!;
}

/** What stands between a request and submission: the first incomplete section, or nothing. */
export interface ApplicationGap {
  section: AccessRequestSection;
  title: string;
  issues: { field: string; message: string }[];
}

/**
 * The request's gaps, in form order: sections missing or no longer valid, collaborators with an
 * account who have not confirmed, and an IRB approval that has lapsed since it was saved.
 */
export async function applicationGaps(
  tx: Tx,
  study: StudyRow,
  now = new Date(),
): Promise<ApplicationGap[]> {
  const saved = await savedSections(tx, study.id);
  const gaps: ApplicationGap[] = [];
  for (const section of SECTION_NAMES) {
    const title = ACCESS_REQUEST_SECTIONS[section].title;
    const data = saved[section];
    const result = ACCESS_REQUEST_SECTIONS[section].schema.safeParse(data);
    if (!data || !result.success) {
      gaps.push({ section, title, issues: [{ field: section, message: 'is not filled in' }] });
      continue;
    }
    if (section === 'irb' && irbExpired(data.expiresOn as string, now))
      gaps.push({
        section,
        title,
        issues: [{ field: 'irb.expiresOn', message: 'the IRB approval has expired' }],
      });
    if (section === 'collaborators') {
      const waiting = (await collaboratorsOf(tx, study.id)).filter(
        (c) => c.userId && !c.confirmedAt,
      );
      if (waiting.length)
        gaps.push({
          section,
          title,
          issues: waiting.map((c) => ({
            field: 'collaborators',
            message: `${c.name} (${c.email}) has not confirmed yet`,
          })),
        });
    }
  }
  return gaps;
}

/** Refuses submission while a section is incomplete, naming the first one. */
export async function assertApplicationComplete(tx: Tx, study: StudyRow): Promise<void> {
  const gaps = await applicationGaps(tx, study);
  const first = gaps[0];
  if (first)
    throw new ValidationError(
      `The request is incomplete: “${first.title}” ${first.issues.map((i) => i.message).join('; ')}`,
      gaps.flatMap((g) => g.issues),
    );
}

/** Studies in which the caller is a named collaborator who still has to confirm. */
export async function collaborationInvitations(
  tx: Tx,
  actor: Actor | null,
): Promise<{ studyId: string; title: string; confirmedAt: Date | null }[]> {
  if (!hasRole(actor, 'researcher')) return [];
  return tx
    .select({
      studyId: studies.id,
      title: studies.title,
      confirmedAt: studyCollaborators.confirmedAt,
    })
    .from(studyCollaborators)
    .innerJoin(studies, eq(studies.id, studyCollaborators.studyId))
    .where(and(eq(studyCollaborators.userId, actor.userId), eq(studies.status, 'draft')));
}

/** A named collaborator with an account confirms taking part in a draft request. */
export async function confirmCollaboration(
  tx: Tx,
  actor: Actor | null,
  studyId: unknown,
): Promise<{ studyId: string; title: string; confirmedAt: Date | null }> {
  const mine = (await collaborationInvitations(tx, actor)).find((i) => i.studyId === studyId);
  if (!mine || !hasRole(actor, 'researcher')) throw new NotFoundError('Collaboration');
  const confirmedAt = new Date();
  await tx
    .update(studyCollaborators)
    .set({ confirmedAt })
    .where(
      and(
        eq(studyCollaborators.studyId, mine.studyId),
        eq(studyCollaborators.userId, actor.userId),
      ),
    );
  await appendAuditEvent(tx, actor, {
    action: 'study.collaboration.confirm',
    targetType: 'study',
    targetId: mine.studyId,
  });
  return { ...mine, confirmedAt };
}
