import { m } from './paraglide/messages';
import type { BrowserVerdict } from './verify-in-browser';

/** What the consent history shows beside one version after the browser checked it. */
export interface VersionCheck {
  ok: boolean;
  text: string;
}

/**
 * Folds the standing-preference records' verdicts (event ids `pref:…`; study answers have
 * versions of their own) into one line per preference version: a version is checked when
 * every record of it that was signed verifies; institution-recorded versions get no line (there
 * is no signature of theirs to check).
 */
export function versionChecks(verdicts: readonly BrowserVerdict[]): Map<number, VersionCheck> {
  const byVersion = new Map<number, BrowserVerdict[]>();
  for (const v of verdicts.filter((x) => x.eventId.startsWith('pref:')))
    byVersion.set(v.version, [...(byVersion.get(v.version) ?? []), v]);
  const out = new Map<number, VersionCheck>();
  for (const [version, list] of byVersion) {
    const signed = list.filter((v) => v.status !== 'institution');
    if (signed.length === 0) continue;
    const failed = signed.find((v) => v.status === 'failed');
    out.set(
      version,
      failed
        ? { ok: false, text: m.version_check_failed({ detail: failed.detail }) }
        : { ok: true, text: m.version_check_ok() },
    );
  }
  return out;
}
