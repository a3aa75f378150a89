import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';
import { enrolNewParticipant } from './participants';

// Each journey enrols its own participant, so the demo patient other specs count stays as it was.

const CLINICIAN = 'clinician@demo.local';
const CLINICIAN_SOURCE = 'Added by Dr Clara Clinician, Demo Hospital';

/** Picks a term with the HPO/MONDO autocomplete: types a few letters, then picks by its code. */
async function pickTerm(page: Page, typed: string, code: string): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Condition or phenotype (HPO, MONDO)' });
  await box.fill(typed);
  await page.getByRole('option', { name: new RegExp(code) }).click();
  await expect(page.getByTestId('chosen-term')).toContainText(code);
}

/** The participant authorises the demo clinician through /record/clinicians. */
async function authoriseClinician(page: Page, scope: { read: boolean; append: boolean }) {
  await page.goto('/record/clinicians');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Your clinician’s e-mail address').fill(CLINICIAN);
  const form = page.locator('form[action="?/authorise"]');
  await form.getByLabel('Read my record').setChecked(scope.read);
  await form.getByLabel('Add to my record').setChecked(scope.append);
  await page.getByRole('button', { name: 'Authorise', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Your clinician is authorised until');
  await expect(page.getByLabel('Your clinician’s e-mail address')).toHaveValue('');
}

/** The participant revokes the demo clinician's access, asked twice. */
async function revokeClinician(page: Page) {
  await page.goto('/record/clinicians');
  await page.waitForLoadState('networkidle');
  const current = page.getByTestId('authorisation').filter({ hasText: 'Dr Clara Clinician' });
  await current.getByText('Revoke', { exact: true }).click();
  await current.getByRole('button', { name: 'Yes, revoke now' }).click();
  await expect(page.getByRole('status')).toContainText(
    'Dr Clara Clinician no longer has access to your record.',
  );
}

test('a participant adds to their record, retracts, authorises a clinician and revokes (1280 and 375 px, axe)', async ({
  page,
}, testInfo) => {
  await enrolNewParticipant(page, 'Rita Record', `P-REC-${Date.now()}`);
  await openNav(page, 'My record');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My record');
  await page.waitForLoadState('networkidle');

  // Empty record: both lists say so; the other engineer's pages are linked, not followed.
  await expect(page.getByText('No conditions or phenotypes yet.')).toBeVisible();
  await expect(page.getByText('No measurements yet.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download my data' })).toHaveAttribute(
    'href',
    '/record/download',
  );
  await expect(page.getByRole('link', { name: 'Upload your genotype file' })).toHaveAttribute(
    'href',
    '/record/genotype',
  );
  await expectAccessible(page, testInfo, 'record-empty');

  // A condition with its onset and a private note.
  await pickTerm(page, 'asth', 'HP:0002099');
  await page.getByLabel('When it began (optional)').fill('2001-03-04');
  await page.locator('#condition-note').fill('Worse in spring');
  await page.getByRole('button', { name: 'Add to my record' }).click();
  const asthma = page.getByTestId('record-entry').filter({ hasText: 'Asthma' });
  await expect(asthma).toContainText('HP:0002099');
  await expect(asthma.getByTestId('entry-source')).toHaveText('You reported this');
  await expect(asthma).toContainText('Version 1');
  await expect(asthma).toContainText('Since 4 Mar 2001');
  await expect(asthma).toContainText('Your private note: Worse in spring');

  // A measurement out of range is refused beside its field, then a good one is added.
  await page.getByLabel('Measurement', { exact: true }).selectOption('HEIGHT');
  await page.getByLabel('Value', { exact: true }).fill('900');
  await page.getByRole('button', { name: 'Add the measurement' }).click();
  await expect(page.getByText('Enter a value between 30 and 260 cm.')).toBeVisible();
  await expect(page.getByText('No measurements yet.')).toBeVisible();
  await page.getByLabel('Measurement', { exact: true }).selectOption('WEIGHT');
  await page.getByLabel('Value', { exact: true }).fill('70.5');
  await page.getByRole('button', { name: 'Add the measurement' }).click();
  await expect(page.getByTestId('measurements')).toContainText('Weight: 70.5 kg');
  await expect(page.getByText('Enter a value between 30 and 260 cm.')).toHaveCount(0);
  // A success draws the form afresh, ready for the next entry.
  await expect(page.getByLabel('Value', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Measurement', { exact: true })).toHaveValue('');

  await expectAccessible(page, testInfo, 'record-filled');
  await screenshots(page, testInfo, 'record');
  await page.setViewportSize({ width: 375, height: 812 });
  await expectAccessible(page, testInfo, 'record-375');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Retracting is asked twice; the entry leaves the record.
  await asthma.getByText('Retract', { exact: true }).click();
  await expect(asthma.getByText(/Retract “Asthma”\?/)).toBeVisible();
  await asthma.getByRole('button', { name: 'Yes, retract it' }).click();
  await expect(page.getByRole('status')).toHaveText('The entry was retracted.');
  await expect(page.getByTestId('record-entry').filter({ hasText: 'Asthma' })).toHaveCount(0);
  await expect(page.getByText('No conditions or phenotypes yet.')).toBeVisible();

  // Clinicians: none yet; an unknown address is refused in plain words; then authorise, revoke.
  await page.getByRole('link', { name: 'Clinicians who can see your record' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Clinicians who can see your record',
  );
  await expect(page.getByText('No clinician may see your record at the moment.')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Your clinician’s e-mail address').fill('nobody@example.org');
  await page.getByRole('button', { name: 'Authorise', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(
    'No clinician signs in to Consentome with this e-mail address.',
  );
  await expect(page.getByTestId('authorisation')).toHaveCount(0);

  await authoriseClinician(page, { read: true, append: false });
  const granted = page.getByTestId('authorisation');
  await expect(granted).toHaveCount(1);
  await expect(granted).toContainText('Dr Clara Clinician');
  await expect(granted).toContainText('Demo Hospital');
  await expect(granted).toContainText('May read your record');
  await expect(granted).not.toContainText('May add to your record');
  await expect(granted).toContainText(/Until .* \(included\)/);
  await expectAccessible(page, testInfo, 'record-clinicians');
  await screenshots(page, testInfo, 'record-clinicians');
  await page.setViewportSize({ width: 375, height: 812 });
  await expectAccessible(page, testInfo, 'record-clinicians-375');
  await page.setViewportSize({ width: 1280, height: 800 });

  await revokeClinician(page);
  await expect(page.getByTestId('authorisation')).toHaveCount(0);
  await page.getByText('Earlier authorisations (1)').click();
  await expect(page.getByTestId('past-authorisation')).toContainText('Revoked on');
});

test('a participant authorises a care team picked from the list, sees its members, and revokes it (375 px, axe)', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await enrolNewParticipant(page, 'Tomás Team', `P-TEAM-${Date.now()}`);
  await page.goto('/record/clinicians');
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('heading', { name: 'Authorise a care team' })).toBeVisible();

  // Nothing picked: refused beside the field, nothing authorised.
  await page.getByRole('button', { name: 'Authorise the team' }).click();
  await expect(page.getByText('Choose a care team.')).toBeVisible();
  await expect(page.getByTestId('authorisation')).toHaveCount(0);

  const team = page.getByLabel('Care team', { exact: true });
  await team.selectOption({ label: 'Clinical Genetics Team · Demo Hospital' });
  await expect(page.getByTestId('team-members')).toHaveText('In the team now: Dr Clara Clinician');
  const teamForm = page.locator('form[action="?/authoriseTeam"]');
  await teamForm.getByLabel('Add to my record').check();
  await page.getByRole('button', { name: 'Authorise the team' }).click();
  await expect(page.getByRole('status')).toContainText('The care team is authorised until');
  const granted = page.getByTestId('authorisation');
  await expect(granted).toHaveCount(1);
  await expect(granted.getByRole('heading', { level: 3 })).toHaveText('Clinical Genetics Team');
  await expect(granted).toContainText('Care team');
  await expect(granted).toContainText('Demo Hospital');
  await expect(granted).toContainText('May read your record');
  await expect(granted).toContainText('May add to your record');
  await expect(team).toHaveValue('');
  await expectAccessible(page, testInfo, 'record-clinicians-team-375');
  await screenshots(page, testInfo, 'record-clinicians-team');

  await granted.getByText('Revoke', { exact: true }).click();
  await granted.getByRole('button', { name: 'Yes, revoke now' }).click();
  await expect(page.getByRole('status')).toContainText(
    'Clinical Genetics Team no longer has access to your record.',
  );
  await expect(page.getByTestId('authorisation')).toHaveCount(0);
  await page.getByText('Earlier authorisations (1)').click();
  await expect(page.getByTestId('past-authorisation')).toContainText('Clinical Genetics Team');
});

test('a clinician sees an authorising patient, adds to their record, and loses them on revocation', async ({
  page,
  browser,
}, testInfo) => {
  const pseudonym = await enrolNewParticipant(page, 'Pat Shared', `P-CLN-${Date.now()}`);
  await page.goto('/record');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Measurement', { exact: true }).selectOption('SMOKING_STATUS');
  await page.getByLabel('Smoking status', { exact: true }).selectOption('NEVER');
  await page.getByRole('button', { name: 'Add the measurement' }).click();
  await expect(page.getByTestId('measurements')).toContainText('Smoking status: Never smoked');
  await authoriseClinician(page, { read: true, append: true });

  const clinicianContext = await browser.newContext();
  const doctor = await clinicianContext.newPage();
  try {
    await signIn(doctor, CLINICIAN);
    await openNav(doctor, 'Patients');
    const row = doctor.getByTestId('patients').getByRole('row').filter({ hasText: pseudonym });
    await expect(row).toContainText('read and add');
    await expectAccessible(doctor, testInfo, 'patients');
    await row.getByRole('link', { name: pseudonym }).click();
    await expect(doctor.getByRole('heading', { level: 1 })).toContainText(pseudonym);
    // The patient's own report, without their private notes.
    const smoking = doctor.getByTestId('record-entry').filter({ hasText: 'Smoking status' });
    await expect(smoking.getByTestId('entry-source')).toHaveText('Reported by the participant');

    await doctor.waitForLoadState('networkidle');
    await pickTerm(doctor, 'asth', 'HP:0002099');
    await doctor.getByLabel('When it began (optional)').fill('2015-06-01');
    await doctor.getByRole('button', { name: 'Add to the patient’s record' }).click();
    await expect(doctor.getByRole('status')).toHaveText('Added to the patient’s record.');
    const added = doctor.getByTestId('record-entry').filter({ hasText: 'Asthma' });
    await expect(added.getByTestId('entry-source')).toHaveText(CLINICIAN_SOURCE);
    await expectAccessible(doctor, testInfo, 'patient-record');
    await screenshots(doctor, testInfo, 'patient-record');

    // The participant sees the clinician as its source; they may dispute it, not retract it.
    await page.goto('/record');
    await page.waitForLoadState('networkidle');
    const theirs = page.getByTestId('record-entry').filter({ hasText: 'Asthma' });
    await expect(theirs.getByTestId('entry-source')).toHaveText(CLINICIAN_SOURCE);
    await expect(theirs.getByText('Retract', { exact: true })).toHaveCount(0);
    await theirs.getByText('Dispute', { exact: true }).click();
    await theirs.getByLabel('Your dispute').fill('I was never diagnosed with asthma.');
    await theirs.getByRole('button', { name: 'Record my dispute' }).click();
    await expect(page.getByRole('status')).toHaveText('Your dispute is recorded beside the entry.');
    await expect(theirs.getByTestId('entry-remark')).toContainText(
      'I was never diagnosed with asthma.',
    );
    await expect(theirs.getByTestId('entry-remark')).toContainText('You disputed this on');

    // Revoked: the clinician no longer sees the patient, nor their record.
    await revokeClinician(page);
    await doctor.goto('/patients');
    await expect(doctor.getByRole('heading', { level: 1 })).toHaveText('Your patients');
    await expect(doctor.getByText(pseudonym)).toHaveCount(0);
    const response = await doctor.goto(`/patients/${pseudonym}`);
    expect(response?.status()).toBe(404);
    await expect(doctor.getByText('This participant does not authorise you.')).toBeVisible();
  } finally {
    await clinicianContext.close();
  }
});

test('a clinician cannot open a participant’s record page, nor a participant the patients', async ({
  page,
  browser,
}) => {
  await signIn(page, CLINICIAN);
  const refused = await page.goto('/record');
  expect(refused?.status()).toBe(403);
  await expect(
    page.getByText('Your role cannot open your record (participants only).'),
  ).toBeVisible();

  const participantContext = await browser.newContext();
  const patient = await participantContext.newPage();
  try {
    await signIn(patient, 'patient@demo.local');
    const response = await patient.goto('/patients');
    expect(response?.status()).toBe(403);
    await expect(
      patient.getByText('Your role cannot open your patients (clinicians only).'),
    ).toBeVisible();
  } finally {
    await participantContext.close();
  }
});

test('the record pages speak Spanish to a participant who chose it (375 px, axe)', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await enrolNewParticipant(page, 'Rosa Registro', `P-RES-${Date.now()}`);
  await page.goto('/record');
  await page.getByTestId('language-switch').getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mi expediente');
  await expect(page.getByRole('link', { name: 'Mi expediente' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByText('Todavía no hay enfermedades ni fenotipos.')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Medición', { exact: true }).selectOption('HEIGHT');
  await page.getByLabel('Valor', { exact: true }).fill('171');
  await page.getByRole('button', { name: 'Añadir la medición' }).click();
  const height = page.getByTestId('record-entry').filter({ hasText: 'Estatura' });
  await expect(height).toContainText('171 cm');
  await expect(height.getByTestId('entry-source')).toHaveText('Lo indicó usted');
  await expectAccessible(page, testInfo, 'record-es-375');
  await page
    .getByRole('link', { name: 'Profesionales clínicos que pueden ver su expediente' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Profesionales clínicos que pueden ver su expediente',
  );
  await expect(
    page.getByText('Ahora mismo ningún profesional clínico puede ver su expediente.'),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Autorizar a un equipo asistencial' }),
  ).toBeVisible();
  await expect(page.getByLabel('Equipo asistencial', { exact: true })).toContainText(
    'Clinical Genetics Team · Demo Hospital',
  );
  await expectAccessible(page, testInfo, 'record-clinicians-es-375');
});
