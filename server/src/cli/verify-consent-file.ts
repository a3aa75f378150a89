import { readFile } from 'node:fs/promises';
import { verifyConsentBundle, type ConsentBundle } from '@consentome/contracts-client';

/**
 * `consentome consent verify-file <file>`: checks a downloaded signed-consent bundle with no
 * network, database or API (docs/signed-consent.md). Prints a line per decision and a summary;
 * answers the exit code: 0 when every participant signature verifies, 2 when one fails, 1 when
 * the file is not a bundle.
 */
export async function verifyConsentFile(
  file: string,
  out: (line: string) => void,
): Promise<number> {
  let bundle: ConsentBundle;
  try {
    bundle = JSON.parse(await readFile(file, 'utf8')) as ConsentBundle;
  } catch (error) {
    out(`Cannot read ${file} as JSON: ${(error as Error).message}`);
    return 1;
  }
  let verdicts;
  try {
    verdicts = verifyConsentBundle(bundle);
  } catch (error) {
    out((error as Error).message);
    return 1;
  }
  out(
    `Pseudonym ${bundle.subject} on ${bundle.chain.chainId}, contract ${bundle.chain.contract}, read at height ${bundle.chain.height}.`,
  );
  for (const v of verdicts)
    out(`${v.status.padEnd(17)} ${v.scope} v${v.version} ${v.decision}: ${v.detail}`);
  const bad = verdicts.filter((v) => v.status === 'signature-invalid').length;
  out(
    `${verdicts.length} decisions: ${verdicts.filter((v) => v.status === 'signed').length} signed by the participant, ` +
      `${verdicts.filter((v) => v.status === 'institution').length} recorded by the institution, ${bad} with a signature that fails.`,
  );
  return bad ? 2 : 0;
}
