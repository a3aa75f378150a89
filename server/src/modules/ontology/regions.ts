/**
 * The geographic regions a GS (geographic restriction) can name, by code. A short, fixed list
 * rather than free text: a steward who types "Europe" and a researcher who types "EU" must
 * still meet, and an unknown code is refused when the data use is saved.
 */
export const GEOGRAPHIC_REGIONS = {
  EEA: 'European Economic Area',
  EU: 'European Union',
  UK: 'United Kingdom',
  CH: 'Switzerland',
  US: 'United States',
  CA: 'Canada',
  AU: 'Australia',
  NZ: 'New Zealand',
  JP: 'Japan',
  KR: 'South Korea',
  SG: 'Singapore',
  IN: 'India',
  BR: 'Brazil',
  ZA: 'South Africa',
} as const;

/** A region code GS understands. */
export type RegionCode = keyof typeof GEOGRAPHIC_REGIONS;

/** Every region code, in the order the portal lists them. */
export const REGION_CODES = Object.keys(GEOGRAPHIC_REGIONS) as RegionCode[];

/** Regions that lie wholly inside another: data allowed in the EEA may be processed in the EU. */
const WITHIN: Partial<Record<RegionCode, readonly RegionCode[]>> = { EU: ['EEA'] };

/** Whether `code` names a known region (case-insensitive, as people type codes). */
export function isRegionCode(code: string): boolean {
  return code.trim().toUpperCase() in GEOGRAPHIC_REGIONS;
}

/**
 * Whether processing in `where` (a region code or name) stays within one of `allowed`. Names
 * are accepted as well as codes, compared case- and space-insensitively.
 */
export function regionAllowed(where: string, allowed: readonly string[]): boolean {
  const code = toRegionCode(where);
  if (code === undefined) return false;
  const fits = new Set<string>([code, ...(WITHIN[code] ?? [])]);
  return allowed.some((a) => {
    const c = toRegionCode(a);
    return c !== undefined && fits.has(c);
  });
}

/** The region code for a code or a region's name, or undefined when it is neither. */
export function toRegionCode(value: string): RegionCode | undefined {
  const v = value.trim().toUpperCase();
  if (v in GEOGRAPHIC_REGIONS) return v as RegionCode;
  const byName = REGION_CODES.find((c) => GEOGRAPHIC_REGIONS[c].toUpperCase() === v);
  return byName;
}

/** "EU (European Union)" for a code; the value itself when unknown. */
export function regionLabel(value: string): string {
  const code = toRegionCode(value);
  return code ? `${code} (${GEOGRAPHIC_REGIONS[code]})` : value;
}
