/**
 * A short, non-identifying description of a browser ("Firefox on Windows") from its User-Agent
 * header. Only the browser family and the operating system are kept: versions, device models and
 * the rest of the header would help fingerprint a person, and the raw header is never stored.
 */

/** Browser families, most specific first: Edge and Opera also claim to be Chrome and Safari. */
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(HeadlessChrome|Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

/** Operating systems, most specific first: Android and ChromeOS also say Linux, iOS says Mac. */
const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(iPhone|iPod)\b/, 'iOS'],
  [/\biPad\b/, 'iPadOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

/** The longest header read; real ones are far shorter, and the regexes stay cheap. */
const MAX_HEADER = 512;

function firstMatch(text: string, table: readonly (readonly [RegExp, string])[]): string | null {
  for (const [pattern, name] of table) if (pattern.test(text)) return name;
  return null;
}

/**
 * "Browser on System", or whichever half is known, or null when neither is (a script, a bot or
 * no header at all): an unknown device is shown as such rather than guessed.
 */
export function describeDevice(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const text = userAgent.slice(0, MAX_HEADER);
  const browser = firstMatch(text, BROWSERS);
  const system = firstMatch(text, SYSTEMS);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system;
}
