import type { StudyRow } from '../studies/study-access.js';

/** Whether a board member owns the study or is named among its collaborators. */
export function takesPart(
  member: { id: string; email: string; displayName: string },
  study: StudyRow,
): boolean {
  const named = study.collaborators.map((c) => c.toLowerCase());
  return (
    study.ownerId === member.id ||
    named.includes(member.email.toLowerCase()) ||
    named.includes(member.displayName.toLowerCase())
  );
}
