//! WebAuthn assertion checks, everything except the P-256 arithmetic (the chain's
//! `secp256r1_verify` does that):
//!   - clientDataJSON: JSON, `type` = "webauthn.get", `challenge` = the expected base64url
//!     value, `origin` = the configured origin, `crossOrigin` absent or false;
//!   - authenticatorData: at least 37 bytes, rpIdHash = SHA-256(rp_id), user-present flag set,
//!     exactly 37 bytes unless the attested-data or extension flag says more follows;
//!   - signature: ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }`, strictly parsed (minimal
//!     lengths and integers, nothing trailing), 0 < r, s < n and s <= n/2 (low-S only, so a
//!     signature has exactly one accepted encoding); converted to raw r ‖ s (64 bytes);
//!   - the signed message: authenticatorData ‖ SHA-256(clientDataJSON), hashed once more with
//!     SHA-256 for `secp256r1_verify` (which takes the prehash).

use serde::Deserialize;

use crate::encoding::base64url_decode;
use crate::error::{ContractError, Result};
use crate::sha256::{sha256, Sha256};

/// Largest clientDataJSON / authenticatorData accepted (real ones are a few hundred bytes).
pub const MAX_CLIENT_DATA: usize = 1024;
pub const MAX_AUTH_DATA: usize = 1024;

/// P-256 group order n, big-endian.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// floor(n / 2), big-endian.
const P256_HALF_N: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xde, 0x73, 0x7d,
    0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
];

const FLAG_UP: u8 = 0x01;
const FLAG_AT: u8 = 0x40;
const FLAG_ED: u8 = 0x80;

fn refused(why: impl Into<String>) -> ContractError {
    ContractError::Rejected(format!("assertion refused: {}", why.into()))
}

/// The relying party the contract accepts assertions for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty<'a> {
    pub origin: &'a str,
    pub rp_id: &'a str,
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    typ: String,
    challenge: String,
    origin: String,
    #[serde(rename = "crossOrigin", default)]
    cross_origin: Option<bool>,
}

/// What a checked assertion tells the caller (the key check and counter rule are the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAssertion {
    /// SHA-256(authenticatorData ‖ SHA-256(clientDataJSON)): what `secp256r1_verify` checks.
    pub prehash: [u8; 32],
    /// Raw r ‖ s, low-S.
    pub signature: [u8; 64],
    pub counter: u32,
}

/// Decodes and checks an assertion against the expected challenge (raw bytes, compared in its
/// base64url form as the browser writes it) and relying party.
pub fn check_assertion(
    rp: &RelyingParty,
    challenge: &[u8],
    authenticator_data_b64: &str,
    client_data_json_b64: &str,
    signature_b64: &str,
) -> Result<CheckedAssertion> {
    let auth = base64url_decode(authenticator_data_b64)
        .ok_or_else(|| refused("authenticator_data is not canonical unpadded base64url"))?;
    let client = base64url_decode(client_data_json_b64)
        .ok_or_else(|| refused("client_data_json is not canonical unpadded base64url"))?;
    let sig_der =
        base64url_decode(signature_b64).ok_or_else(|| refused("signature is not canonical unpadded base64url"))?;
    if client.len() > MAX_CLIENT_DATA {
        return Err(refused("client_data_json is too long"));
    }
    if auth.len() > MAX_AUTH_DATA {
        return Err(refused("authenticator_data is too long"));
    }
    check_client_data(rp, challenge, &client)?;
    let counter = check_authenticator_data(rp, &auth)?;
    let signature = parse_der_signature(&sig_der)?;
    let mut h = Sha256::new();
    h.update(&auth);
    h.update(&sha256(&client));
    Ok(CheckedAssertion { prehash: h.finalize(), signature, counter })
}

fn check_client_data(rp: &RelyingParty, challenge: &[u8], client: &[u8]) -> Result<()> {
    let cd: ClientData =
        serde_json::from_slice(client).map_err(|_| refused("client_data_json is not the JSON WebAuthn defines"))?;
    if cd.typ != "webauthn.get" {
        return Err(refused("client_data_json type is not webauthn.get"));
    }
    if cd.challenge != crate::encoding::base64url_encode(challenge) {
        return Err(refused("the challenge is not the digest of this record"));
    }
    if cd.origin != rp.origin {
        return Err(refused("the origin is not the configured one"));
    }
    if cd.cross_origin == Some(true) {
        return Err(refused("cross-origin assertions are not accepted"));
    }
    Ok(())
}

fn check_authenticator_data(rp: &RelyingParty, auth: &[u8]) -> Result<u32> {
    if auth.len() < 37 {
        return Err(refused("authenticator_data is shorter than 37 bytes"));
    }
    if auth[..32] != sha256(rp.rp_id.as_bytes()) {
        return Err(refused("the rpIdHash is not the configured RP id's"));
    }
    let flags = auth[32];
    if flags & FLAG_UP == 0 {
        return Err(refused("the user-presence flag is not set"));
    }
    if flags & (FLAG_AT | FLAG_ED) == 0 && auth.len() != 37 {
        return Err(refused("authenticator_data has trailing bytes"));
    }
    Ok(u32::from_be_bytes([auth[33], auth[34], auth[35], auth[36]]))
}

/// Reads one DER INTEGER (positive, minimally encoded, at most 32 significant bytes) from the
/// front of `der`; returns it left-padded to 32 bytes and the rest.
fn der_integer(der: &[u8]) -> Result<([u8; 32], &[u8])> {
    let bad = || refused("signature is not strict DER");
    if der.len() < 2 || der[0] != 0x02 {
        return Err(bad());
    }
    let len = der[1] as usize;
    if len == 0 || len > 33 || der.len() < 2 + len {
        return Err(bad());
    }
    let int = &der[2..2 + len];
    if int[0] & 0x80 != 0 {
        return Err(bad()); // negative
    }
    if len > 1 && int[0] == 0 && int[1] & 0x80 == 0 {
        return Err(bad()); // leading zero that is not needed
    }
    let digits = if int[0] == 0 { &int[1..] } else { int };
    if digits.len() > 32 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    out[32 - digits.len()..].copy_from_slice(digits);
    Ok((out, &der[2 + len..]))
}

/// Strict DER ECDSA signature → raw r ‖ s, refusing zero, out-of-range and high-S values.
pub fn parse_der_signature(der: &[u8]) -> Result<[u8; 64]> {
    let bad = || refused("signature is not strict DER");
    // A P-256 DER signature is at most 72 bytes, so the short length form always applies.
    if der.len() < 8 || der[0] != 0x30 || der[1] as usize != der.len() - 2 || der[1] & 0x80 != 0 {
        return Err(bad());
    }
    let (r, rest) = der_integer(&der[2..])?;
    let (s, rest) = der_integer(rest)?;
    if !rest.is_empty() {
        return Err(bad());
    }
    let zero = [0u8; 32];
    if r == zero || s == zero || r >= P256_N || s >= P256_N {
        return Err(refused("signature values are out of range"));
    }
    if s > P256_HALF_N {
        return Err(refused("signature has a high S (only low-S signatures are accepted)"));
    }
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&r);
    out[32..].copy_from_slice(&s);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64url_encode;

    fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
        let mut body = vec![0x02, r.len() as u8];
        body.extend_from_slice(r);
        body.push(0x02);
        body.push(s.len() as u8);
        body.extend_from_slice(s);
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    #[test]
    fn der_is_parsed_strictly_and_low_s_only() {
        let r = [0x11u8; 32];
        let s = [0x22u8; 32];
        let sig = parse_der_signature(&der(&r, &s)).unwrap();
        assert_eq!(&sig[..32], &r);
        assert_eq!(&sig[32..], &s);
        // r with the high bit set needs one leading zero.
        let mut hi = [0x91u8; 32];
        hi[0] = 0x91;
        let mut padded = vec![0u8];
        padded.extend_from_slice(&hi);
        assert!(parse_der_signature(&der(&padded, &s)).is_ok());
        assert!(parse_der_signature(&der(&hi, &s)).is_err(), "negative integer");
        let mut extra_zero = vec![0u8];
        extra_zero.extend_from_slice(&r);
        assert!(parse_der_signature(&der(&extra_zero, &s)).is_err(), "non-minimal integer");
        let mut trailing = der(&r, &s);
        trailing.push(0);
        assert!(parse_der_signature(&trailing).is_err(), "trailing byte");
        let mut high_s = vec![0u8];
        high_s.extend_from_slice(&[0xf0u8; 32]);
        assert!(parse_der_signature(&der(&r, &high_s)).is_err(), "s >= n");
        let mut just_above_half = P256_HALF_N;
        just_above_half[31] += 1;
        let mut padded_s = vec![0u8; 0];
        padded_s.extend_from_slice(&just_above_half);
        let e = parse_der_signature(&der(&r, &padded_s)).unwrap_err();
        assert!(e.to_string().contains("high S"), "{e}");
        assert!(parse_der_signature(&der(&r, &P256_HALF_N)).is_ok(), "n/2 itself is low");
        assert!(parse_der_signature(&der(&[0], &s)).is_err(), "zero r");
        assert!(parse_der_signature(&der(&r, &s)[..69]).is_err(), "truncated");
    }

    fn rp() -> RelyingParty<'static> {
        RelyingParty { origin: "https://consent.example", rp_id: "consent.example" }
    }

    fn auth(flags: u8, counter: u32) -> Vec<u8> {
        let mut a = sha256(b"consent.example").to_vec();
        a.push(flags);
        a.extend_from_slice(&counter.to_be_bytes());
        a
    }

    #[test]
    fn client_data_and_authenticator_data_are_checked() {
        let challenge = [9u8; 32];
        let cd = |t: &str, c: &str, o: &str| {
            base64url_encode(format!(r#"{{"type":"{t}","challenge":"{c}","origin":"{o}"}}"#).as_bytes())
        };
        let good_c = base64url_encode(&challenge);
        let sig = base64url_encode(&der(&[1u8; 32], &[2u8; 32]));
        let a = base64url_encode(&auth(0x05, 7));
        let ok = check_assertion(&rp(), &challenge, &a, &cd("webauthn.get", &good_c, "https://consent.example"), &sig)
            .unwrap();
        assert_eq!(ok.counter, 7);
        let err = |a: &str, c: &str| check_assertion(&rp(), &challenge, a, c, &sig).unwrap_err().to_string();
        assert!(err(&a, &cd("webauthn.create", &good_c, "https://consent.example")).contains("type"));
        assert!(err(&a, &cd("webauthn.get", &base64url_encode(&[8u8; 32]), "https://consent.example"))
            .contains("challenge"));
        assert!(err(&a, &cd("webauthn.get", &good_c, "https://evil.example")).contains("origin"));
        assert!(err(&a, &base64url_encode(b"not json")).contains("JSON"));
        let full = cd("webauthn.get", &good_c, "https://consent.example");
        let truncated = base64url_encode(&base64url_decode(&full).unwrap()[..20]);
        assert!(err(&a, &truncated).contains("JSON"));
        assert!(err(&base64url_encode(&auth(0x04, 7)), &full).contains("user-presence"));
        let mut other_rp = auth(0x05, 7);
        other_rp[0] ^= 1;
        assert!(err(&base64url_encode(&other_rp), &full).contains("rpIdHash"));
        assert!(err(&base64url_encode(&auth(0x05, 7)[..36]), &full).contains("shorter"));
        let mut trailing = auth(0x05, 7);
        trailing.push(0);
        assert!(err(&base64url_encode(&trailing), &full).contains("trailing"));
        let cross = base64url_encode(
            format!(r#"{{"type":"webauthn.get","challenge":"{good_c}","origin":"https://consent.example","crossOrigin":true}}"#)
                .as_bytes(),
        );
        assert!(err(&a, &cross).contains("cross-origin"));
        assert!(err(&format!("{a}="), &full).contains("base64url"));
    }
}
