/**
 * The consent preferences the load runs write: the same every time but for the answer on
 * health/medical research (`hmb`), which a run alternates so that every write is a new version.
 */
export const loadPreferences = (hmb: 'PERMIT' | 'DENY') => ({
  purposes: {
    gru: 'PERMIT',
    hmb,
    ds: 'ASK',
    poa: 'DENY',
    methods: 'PERMIT',
    commercial: 'DENY',
  },
  askEachTime: false,
  discoverable: true,
  recontact: false,
});
