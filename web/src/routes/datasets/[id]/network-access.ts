/** The settings of `Dataset.networkAccess`, with what each means for the steward choosing. */
export const NETWORK_ACCESS_CHOICES = [
  {
    value: 'none',
    label: 'Not shared with the network',
    plain:
      'Visas from other institutions open nothing here; only this site’s own access grants do. This is the default.',
  },
  {
    value: 'visa',
    label: 'Another member’s DAC decision is enough',
    plain:
      'A researcher granted access by their own institution’s DAC sees this dataset’s protected counts. An export still needs a purpose registered here that the data-use terms permit.',
  },
  {
    value: 'visa_and_local_dac',
    label: 'Our DAC must also approve',
    plain:
      'The other institution’s visa lets its researcher ask here; counts and exports open only after this site’s ethics board approves.',
  },
] as const;
