/** How each role is named to people. */
export const ROLE_LABELS: Record<string, string> = {
  participant: 'Participant',
  researcher: 'Researcher',
  ethics_board: 'Ethics board',
  steward: 'Data steward',
  admin: 'Administrator',
};

/** The roles an account can hold, in the order forms offer them. */
export const ROLES = ['participant', 'researcher', 'ethics_board', 'steward', 'admin'] as const;
