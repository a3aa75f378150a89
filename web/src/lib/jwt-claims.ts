/** A JWT split into its decoded header and claims, for people to read (not verified here). */
export interface DecodedJwt {
  token: string;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Decodes a compact JWS (header.payload.signature) for display. The signature is checked by
 * whoever relies on the visa, against the JWKS; decoding here only shows what it says.
 */
export function decodeJwt(token: string): DecodedJwt {
  const [header, payload] = token.split('.');
  return { token, header: decodePart(header), claims: decodePart(payload) };
}
