/**
 * Every action the audit log records, with what it means to the participant it concerns. This is
 * the one registry of action names: `AuditEntry.action` is typed from it, so code cannot append
 * an action that has no plain wording (and audit-actions.test.ts scans the sources for any that
 * slipped past the types).
 */

import type { Locale } from '../../lib/locales.js';
import { AUDIT_ACTION_SPANISH } from './audit-actions.es.js';

/** Whose doing an event is, as the participant sees it. */
export type ActionKind =
  /** Someone else looked at, counted, asked for, shared or changed something about you. */
  | 'use'
  /** You did it (signing in, reading your own pages, changing your choices). */
  | 'own';

/** One action in the participant's words. */
export interface ActionWording {
  /** A sentence the participant reads in their timeline (no trailing full stop). */
  sentence: string;
  kind: ActionKind;
}

const use = (sentence: string): ActionWording => ({ sentence, kind: 'use' });
const own = (sentence: string): ActionWording => ({ sentence, kind: 'own' });

/** The registry: action → participant-facing sentence and kind. */
export const AUDIT_ACTION_WORDING = {
  // Accounts and signing in.
  'user.create': use('An account was created'),
  'user.list': use('Staff listed the accounts'),
  'user.role.change': use('An administrator changed an account’s role'),
  'user.disable': use('An administrator disabled an account'),
  'user.enable': use('An administrator enabled an account'),
  'user.researcher_status.confirm': use('A researcher’s status was confirmed'),
  'user.language.change': own('You changed the language of the portal'),
  'auth.login': own('You signed in'),
  'auth.login_failed': own('A sign-in to your account failed'),
  'auth.logout': own('You signed out'),
  'auth.logout_everywhere': own('You signed out on every device'),
  'auth.session.end': own('You signed out a device'),
  'auth.password_change': own('You changed your password'),
  'auth.password_change.refused': own('A password change was refused'),
  'auth.password_reset.request': own('A password reset link was asked for your account'),
  'auth.password_reset': own('You set a new password with a reset link'),
  'auth.oidc_failed': own('A sign-in through your institution failed'),
  'user.email.change': own('You changed your e-mail address'),
  'user.force_sign_out': use('An administrator signed an account out everywhere'),
  'user.affiliation.assert': use('An administrator recorded a researcher’s institution'),
  'identity.link': own('You linked your institution’s sign-in to your account'),
  'identity.link.refused': own('Linking an institution’s sign-in to your account was refused'),
  'mfa.totp.enrol_start': own('You began setting up an authenticator app'),
  'mfa.totp.enrol': own('You set up an authenticator app'),
  'mfa.verify': own('You confirmed a sign-in with your second factor'),
  'mfa.verify_failed': own('A second-factor code for your account was wrong'),
  'mfa.locked': own('Second-factor codes were paused after too many wrong tries'),
  'mfa.passkey.add': own('You added a passkey as your second factor'),
  'mfa.passkey.rename': own('You renamed a second-factor passkey'),
  'mfa.passkey.remove': own('You removed a second-factor passkey'),
  'auth.email_verify.send': own('A link to confirm your e-mail address was sent'),
  'auth.email_verify': own('You confirmed your e-mail address'),
  'auth.email_verify.failed': own('A link to confirm an e-mail address was refused'),
  'passkey.add': own('You added a passkey to sign your consent'),
  'participant.link.offer': own(
    'You started linking your record here with your record at another site',
  ),
  'participant.link.accept': own('You linked your record here with your record at another site'),
  'consent.linked.apply': use('A decision you signed at a linked site was applied here'),
  'passkey.remove': own('You removed a passkey'),
  'passkey.reset': use('Your study site reset your passkeys after checking who you are'),
  // Your record.
  'participant.create': use('Your study site created your record'),
  'participant.read': use('Staff opened your record'),
  'participant.list': use('Your record appeared in a list of participants'),
  'participant.import': use('Your record was imported by your study site'),
  'participant.enrol': own('You joined Consentome'),
  'participant.withdraw': own('You withdrew from all research'),
  'participant.erasure.request': own('Erasure of your data was asked for'),
  'participant.erase': own('Your personal data was erased'),
  'enrolment_code.create': use('Your study site made an enrolment code for you'),
  // Consent.
  'consent.read': own('You looked at your consent choices'),
  // Staff-assisted and proxy consent.
  'consent.paper.record': use('Your study site recorded a decision you took on paper or in person'),
  'consent_form.register': use('A paper consent form version was registered'),
  'coordinator.participant.read': use('Your site’s consent coordinator opened your record'),
  // What you and the clinicians you authorise add to your record (content never in the log).
  'record.entry.add': own('You added an entry to your record'),
  'record.entry.add.clinician': use('A clinician you authorised added an entry to your record'),
  'record.entry.revise': own('You corrected an entry in your record'),
  'record.entry.retract': own('You retracted an entry from your record'),
  'record.entry.annotate': own('You added a remark to an entry in your record'),
  'record.entry.dispute': own('You disputed an entry in your record'),
  'record.read.own': own('You looked at your record'),
  'record.read.clinician': use('A clinician you authorised read your record'),
  'record.genotypes.upload': own('You uploaded your own genotype file to your record'),
  'record.genotypes.read': own('You looked at the genotype files you uploaded'),
  'record.genotypes.retract': own('You retracted a genotype file from your record'),
  'record.download': own('You downloaded your whole record'),
  'record.download.app': use('An app you authorised read your whole record'),
  'record.app.authorise': own('You authorised an app to read your record'),
  'record.app.revoke': own('You revoked an app’s access to your record'),
  'clinician.authorise': own('You authorised a clinician to see or add to your record'),
  'clinician.revoke': own('You ended a clinician’s access to your record'),
  'clinician.patients.list': use('A clinician listed the participants who authorised them'),
  'care_team.authorise': own('You authorised a care team to see or add to your record'),
  'care_team.create': use('An administrator set up a care team'),
  'care_team.member.add': use('An administrator added a clinician to a care team'),
  'care_team.member.remove': use('An administrator removed a clinician from a care team'),
  'representative.link': use('Your study site linked a legal representative to you'),
  'representative.end': use('Your representative’s authority to act for you ended'),
  'representative.list': own('You looked at whom you can act for'),
  'representative.decisions.confirm': own('You confirmed the decisions made for you'),
  'consent.bundle.download': own('You downloaded your signed consent records'),
  'consent.preferences.update': own('You changed your consent choices'),
  'consent_request.create': use('A study asked to use your data'),
  'consent_request.list': own('You looked at your study requests'),
  'consent_request.answer': own('You answered a study’s request'),
  'consent_request.remind': use('You were reminded of a study’s request you had not answered'),
  'consent_request.reminders.set': own('You changed how you are reminded of study requests'),
  'data_use.read': own('You looked at how your data is used'),
  // The audit trail.
  'audit.read': own('You looked at this timeline'),
  'audit.digest': own('Your weekly summary was sent to you'),
  'digest.subscribe': own('You turned the weekly summary e-mail on or off'),
  'audit.verify': use('The audit trail was verified'),
  'audit.facets': use('Staff searched the audit trail'),
  'audit.activity': use('Staff looked at audit activity'),
  // Discovery and datasets.
  'cohort.count': use('A researcher counted a cohort that could include you'),
  'beacon.query': use('A discovery search counted data that could include yours'),
  'beacon.query.public': use('A public discovery search was answered'),
  'network.count': use(
    'A researcher counted a cohort across the network of institutions, which could include you',
  ),
  'dataset.register': use('A data steward registered a dataset'),
  'dataset.update': use('A data steward updated a dataset'),
  'dataset.collection_consent.change': use(
    'A data steward corrected the record of the consent you gave when your data was collected',
  ),
  'dataset.data_use.narrow': use('The terms of use of a dataset holding your data were narrowed'),
  'dataset.data_use.widen_request': use(
    'A data steward asked to widen the terms of use of a dataset',
  ),
  'dataset.data_use.vote': use(
    'A member of a dataset’s data access committee voted on widening its terms of use',
  ),
  'dataset.data_use.decide': use(
    'A dataset’s data access committee decided on widening its terms of use',
  ),
  'dataset.ingest': use('Your data was added to a dataset'),
  'ontology.import': use('A vocabulary of terms was imported'),
  // Studies and their review.
  'study.create': use('A researcher drafted a study'),
  'study.update': use('A researcher changed a study'),
  'study.read': use('Someone opened a study'),
  'study.application.save': use('A researcher saved a section of a data access request'),
  'study.collaboration.confirm': use('A collaborator confirmed taking part in a study'),
  'study.request_pdf.read': use('Someone printed a data access request'),
  'study.document.upload': use('A researcher added a document to a data access request'),
  'study.document.read': use('Someone read a document of a data access request'),
  'study.document.integrity_failed': use(
    'A document of a data access request failed its integrity check and was not shown',
  ),
  'study.document.delete': use(
    'A document of a data access request was deleted at the end of its retention',
  ),
  'study.submit': use('A study was sent to the ethics board'),
  'study.approve': use('The ethics board approved a study'),
  'study.reject': use('The ethics board turned a study down'),
  'study.withdraw': use('A researcher withdrew a study'),
  'study.evidence.attach': use('A researcher attached ethics approval to a study'),
  'study.application.read': use(
    'A signing official of the researcher’s institution read a study’s full access request',
  ),
  'study.cohort.read': use('Someone looked at a study’s cohort figures'),
  'review.vote': use('An ethics board member voted on a study'),
  'review.conflict.declare': use(
    'An ethics board member declared a conflict of interest on a study and stood aside',
  ),
  'review.election.decide': use('A data access committee decided on its datasets for a study'),
  'review.election.remind': use(
    'The committee members yet to vote on a study were reminded of the deadline',
  ),
  'review.election.overdue': use('A data access committee’s vote on a study passed its deadline'),
  'review.election.close_overdue': use(
    'A committee chair closed an overdue vote on a study with the votes cast',
  ),
  // Data access committees: who decides which datasets.
  'dac.create': use('An administrator set up a data access committee'),
  'dac.rename': use('An administrator renamed a data access committee'),
  'dac.member.add': use('An administrator added a member to a data access committee'),
  'dac.member.remove': use('An administrator removed a member from a data access committee'),
  'dac.chair.set': use('An administrator chose the chair of a data access committee'),
  'dac.rules.set': use('An administrator changed a data access committee’s voting rules'),
  'dac.datasets.assign': use(
    'An administrator chose which datasets a data access committee governs',
  ),
  'dua.publish': use('A data access committee published a new version of its data use agreement'),
  'dua.accept': use('A researcher or a signing official accepted a data use agreement'),
  'library_card.issue': use('A signing official issued a library card to a researcher'),
  'library_card.revoke': use('A signing official revoked a researcher’s library card'),
  'study.institution.approve': use(
    'The researcher’s signing official approved a study for the data access committees',
  ),
  'study.institution.return': use('A signing official returned a study to its researcher'),
  'study.institution.reject': use('A signing official turned a study down'),
  'review.consent_outlook.read': use(
    'The ethics board looked at how consent splits a study’s cohort',
  ),
  'study.consent_responses.read': use(
    'Someone looked at how the people a study asked have answered (counts only)',
  ),
  // Access to your data.
  'grant.issue': use('A study was given access to data that includes yours'),
  'grant.read': use('Someone looked at a study’s access'),
  'grant.revoke': use('A study’s access was revoked'),
  'grant.close_out': use('A study’s access was closed'),
  'grant.renewal.submit': use('A study sent its annual progress report to renew its access'),
  'grant.renewal.renew': use('A data access committee renewed a study’s access for a year'),
  'grant.renewal.decline': use('A data access committee did not renew a study’s access'),
  'grant.renewal.remind': use('A study was reminded that its access is due for renewal'),
  'grant.renewal.overdue': use('A study missed the renewal of its access'),
  'grant.renewal.reschedule': use('A data access committee changed when a study must renew'),
  'grant.closeout.attest': use('A study’s researcher attested that the data was destroyed'),
  'grant.closeout.countersign': use(
    'A signing official countersigned that a study’s data was destroyed',
  ),
  'grant.expire': use('A study’s access ended'),
  'grant.deletion.request': use('A study was asked to delete your data'),
  'grant.deletion.confirm': use('A study confirmed it deleted your data'),
  'export.create': use('A researcher made an export of study data'),
  'export.include': use('Your data was included in a study’s export'),
  'export.download': use('A researcher downloaded an export that includes your data'),
  'export.download.refused': use('A download including your data was refused'),
  'results.return.request': use(
    'A study asked the site to contact people about a research finding',
  ),
  'results.return.contact': use(
    'A study found something that may matter to you; your site contacted you',
  ),
  'results.return.withheld': use(
    'A study found something that may matter to you; you do not allow recontact, so no one contacted you',
  ),
  'passport.issue': use('A researcher was given a data-access passport'),
  'fhir.read': use('A connected health system read your consent'),
  // The network of institutions (governance on chain; never about one participant).
  'network.propose': use('An administrator proposed a change to the network of institutions'),
  'network.vote': use('An administrator voted on a change to the network of institutions'),
  'dataset.network_access.change': use(
    'A data steward changed whether other institutions of the network can open a dataset',
  ),
  'beacon.network_refused': use(
    'A discovery search from another institution of the network was refused',
  ),
  'beacon.member_budget.refused': use(
    'Another institution of the network had used its searches for the day; one more was refused',
  ),
  'network_access.request': use(
    'A researcher at another institution of the network asked to use a dataset',
  ),
  'network_access.decide': use(
    'The data access committee decided on a request from another institution of the network',
  ),
  'network_access.refused': use(
    'A request from another institution of the network to use a dataset was refused',
  ),
  'network_export.create': use(
    'A researcher at another institution of the network made an export of a dataset',
  ),
  'network_remote.committee.set': use(
    'An administrator chose the committee that decides requests for datasets held at other institutions',
  ),
  'network_remote.request': use(
    'A researcher here asked to use a dataset held at another institution of the network',
  ),
  'network_remote.decide': use(
    'The data access committee decided on a request to use a dataset held at another institution',
  ),
  'network_remote.send': use(
    'This institution sent an approved request to the institution of the network that holds the dataset',
  ),
  'network_remote.status': use(
    'The institution holding a dataset decided on a request this institution sent',
  ),
  'network_remote.export': use(
    'This institution received an export of a dataset held at another institution of the network',
  ),
  'network_remote.download': use(
    'A researcher downloaded an export received from another institution of the network',
  ),
  'network.update_self': use(
    'An administrator changed this institution’s public details in the network',
  ),
} as const satisfies Record<string, ActionWording>;

/** An action named in the registry. */
export type KnownAuditAction = keyof typeof AUDIT_ACTION_WORDING;

/**
 * Any action code may append: a registered one, or `<something>.refused`, the refusal of a
 * GraphQL field or a workflow write (whose name comes from the schema, so it is a pattern).
 */
export type AuditAction =
  | KnownAuditAction
  | `${string}.refused`
  /** Appended by tests only (audit-actions.test.ts refuses them in product code). */
  | `test.${string}`;

/** The actions whose refusal a workflow write audits as `<action>.refused`. */
export type RefusableAction = KnownAuditAction;

/** Whether a string is a registered action. */
export function isKnownAuditAction(action: string): action is KnownAuditAction {
  return Object.hasOwn(AUDIT_ACTION_WORDING, action);
}

/**
 * The wording of any appended action, in English or Spanish (`AUDIT_ACTION_SPANISH`): a
 * registered one as registered, `<x>.refused` as a refused attempt (using x's words when x is
 * registered), anything else (an action from an older version) `null`, so callers decide.
 */
export function auditActionWording(action: string, locale: Locale = 'en'): ActionWording | null {
  if (isKnownAuditAction(action)) return inLocale(action, locale);
  if (action.endsWith('.refused')) {
    const base = action.slice(0, -'.refused'.length);
    const words = isKnownAuditAction(base) ? inLocale(base, locale) : null;
    const [refused, anyRefused] = REFUSED[locale];
    return {
      sentence: words
        ? `${refused}: ${words.sentence.charAt(0).toLowerCase()}${words.sentence.slice(1)}`
        : anyRefused,
      kind: words?.kind ?? 'use',
    };
  }
  return null;
}

/** How a refusal is introduced, and the sentence for a refusal of an unregistered field. */
const REFUSED: Record<Locale, [string, string]> = {
  en: ['Refused', 'A request was refused'],
  es: ['Rechazado', 'Se rechazó una solicitud'],
};

/** Every registered action's Spanish sentence: one missing from the Spanish list fails to compile. */
const SPANISH: Record<KnownAuditAction, string> = AUDIT_ACTION_SPANISH;

function inLocale(action: KnownAuditAction, locale: Locale): ActionWording {
  const words = AUDIT_ACTION_WORDING[action];
  return locale === 'es' ? { sentence: SPANISH[action], kind: words.kind } : words;
}
