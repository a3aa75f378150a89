/**
 * The form fields a passkey-signed decision carries: set in the browser by `signDecision`, read
 * on the server by `signatureOf` (one name for both sides).
 */
export const SIGNATURE_FIELDS = { time: 'signatureTime', response: 'signatureResponse' } as const;
