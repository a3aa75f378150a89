/**
 * GA4GH Data Use Ontology terms used by Consentome (DUO, CC BY 4.0, GA4GH / EBI).
 * IDs, shorthands and labels follow the DUO release in ../shared/reference/duo.csv; `plain`
 * is our own one-line explanation for participants.
 */
export interface DuoTerm {
  code: string;
  id: string;
  label: string;
  plain: string;
}

export const DUO_PERMISSIONS = {
  NRES: {
    id: 'DUO:0000004',
    label: 'no restriction',
    plain: 'Any use, with no conditions at all.',
  },
  GRU: { id: 'DUO:0000042', label: 'general research use', plain: 'Any research purpose.' },
  HMB: {
    id: 'DUO:0000006',
    label: 'health or medical or biomedical research',
    plain: 'Health, medical or biomedical research, but not studies of ancestry.',
  },
  DS: {
    id: 'DUO:0000007',
    label: 'disease specific research',
    plain: 'Only research on the named diseases.',
  },
  POA: {
    id: 'DUO:0000011',
    label: 'population origins or ancestry research only',
    plain: 'Only research on population origins or ancestry.',
  },
} as const;

export const DUO_MODIFIERS = {
  NPU: {
    id: 'DUO:0000045',
    label: 'not for profit organisation use only',
    plain: 'Only not-for-profit organisations.',
  },
  NCU: { id: 'DUO:0000046', label: 'non-commercial use only', plain: 'No commercial use.' },
  NPUNCU: {
    id: 'DUO:0000018',
    label: 'not for profit, non commercial use only',
    plain: 'Only not-for-profit organisations, and no commercial use.',
  },
  IRB: {
    id: 'DUO:0000021',
    label: 'ethics approval required',
    plain: 'The researcher needs ethics approval.',
  },
  PUB: {
    id: 'DUO:0000019',
    label: 'publication required',
    plain: 'Results must be published for all.',
  },
  COL: {
    id: 'DUO:0000020',
    label: 'collaboration required',
    plain: 'The original study team must be involved.',
  },
  GS: {
    id: 'DUO:0000022',
    label: 'geographical restriction',
    plain: 'Only within a named region.',
  },
  MOR: {
    id: 'DUO:0000024',
    label: 'publication moratorium',
    plain: 'No publication before a set date.',
  },
  TS: {
    id: 'DUO:0000025',
    label: 'time limit on use',
    plain: 'Use is allowed for a limited time only.',
  },
  US: { id: 'DUO:0000026', label: 'user specific restriction', plain: 'Only approved people.' },
  PS: {
    id: 'DUO:0000027',
    label: 'project specific restriction',
    plain: 'Only an approved project.',
  },
  IS: {
    id: 'DUO:0000028',
    label: 'institution specific restriction',
    plain: 'Only an approved institution.',
  },
  RTN: {
    id: 'DUO:0000029',
    label: 'return to database or resource',
    plain: 'Derived data must be given back to the resource.',
  },
  GSO: {
    id: 'DUO:0000016',
    label: 'genetic studies only',
    plain: 'Only studies that include genetics.',
  },
  NMDS: {
    id: 'DUO:0000015',
    label: 'no general methods research',
    plain: 'No development of methods or software.',
  },
  NPOA: {
    id: 'DUO:0000044',
    label: 'population origins or ancestry research prohibited',
    plain: 'No studies of ancestry or population origins.',
  },
  RS: {
    id: 'DUO:0000012',
    label: 'research specific restrictions',
    plain: 'Only certain types of research.',
  },
  CC: {
    id: 'DUO:0000043',
    label: 'clinical care use',
    plain: 'May also be used for clinical care.',
  },
} as const;

/** A DUO data use permission shorthand. */
export type DuoPermission = keyof typeof DUO_PERMISSIONS;
/** A DUO data use modifier shorthand. */
export type DuoModifier = keyof typeof DUO_MODIFIERS;

export const DUO_PERMISSION_CODES = Object.keys(DUO_PERMISSIONS) as [
  DuoPermission,
  ...DuoPermission[],
];
export const DUO_MODIFIER_CODES = Object.keys(DUO_MODIFIERS) as [DuoModifier, ...DuoModifier[]];

/** A MONDO disease CURIE such as MONDO:0004992 (cancer). */
export const MONDO_CURIE = /^MONDO:\d{7}$/;
