//! Input validation. Everything stored on chain is pseudonymous: ids and scopes are limited
//! to a small safe charset, digests to exactly 64 lowercase hex chars.

use crate::error::{show, ContractError, Result};
use crate::msg::{Decision, RECORD_FORMAT};

pub const MAX_ID_LEN: usize = 128;
pub const MAX_ADDR_LEN: usize = 90;

fn invalid(field: &str, why: &str, value: &str) -> ContractError {
    ContractError::Invalid(format!("{field} {why}: {}", show(value)))
}

/// Exactly 64 lowercase hex chars (a SHA-256 / HMAC-SHA256 digest); returns the raw bytes.
pub fn digest(field: &str, s: &str) -> Result<[u8; 32]> {
    if s.len() != 64 {
        return Err(invalid(field, "must be 64 lowercase hex chars", s));
    }
    let bytes = crate::encoding::hex_decode(s).ok_or_else(|| invalid(field, "must be 64 lowercase hex chars", s))?;
    let mut out = [0u8; 32];
    out.copy_from_slice(&bytes);
    Ok(out)
}

/// Identifier / scope: 1..=128 chars of `[A-Za-z0-9:_.-]`.
pub fn ident(field: &str, s: &str) -> Result<()> {
    if s.is_empty() {
        return Err(invalid(field, "must not be empty", s));
    }
    if s.len() > MAX_ID_LEN {
        return Err(invalid(field, "must be at most 128 chars", s));
    }
    if !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'.' | b'-')) {
        return Err(invalid(field, "may only contain [A-Za-z0-9:_.-]", s));
    }
    Ok(())
}

/// Canonical decimal u64: digits only, no sign, no leading zeros (except "0").
pub fn decimal_u64(field: &str, s: &str) -> Result<u64> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if !ok {
        return Err(invalid(field, "must be a canonical unsigned decimal integer", s));
    }
    s.parse::<u64>().map_err(|_| invalid(field, "does not fit in u64", s))
}

/// A decision time: unix seconds as a decimal string, or RFC 3339
/// (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`).
pub fn time(field: &str, s: &str) -> Result<()> {
    if s.len() > 40 {
        return Err(invalid(field, "is too long", s));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return decimal_u64(field, s).map(|_| ());
    }
    if rfc3339(s) {
        Ok(())
    } else {
        Err(invalid(field, "must be RFC 3339 or unix seconds", s))
    }
}

fn rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    // Fixed part: YYYY-MM-DDTHH:MM:SS (19 bytes).
    if b.len() < 20 {
        return false;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = &b[from..from + len];
        if part.iter().all(|c| c.is_ascii_digit()) {
            Some(part.iter().fold(0u32, |acc, c| acc * 10 + (c - b'0') as u32))
        } else {
            None
        }
    };
    let fields = (num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2));
    let (year, month, day, hour, min, sec) = match fields {
        (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) => (y, mo, d, h, mi, s),
        _ => return false,
    };
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || min > 59 || sec > 60 {
        return false;
    }
    // Optional fraction, then the offset.
    let mut i = 19;
    if b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 9 {
            return false;
        }
    }
    match &b[i..] {
        [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] if *sign == b'+' || *sign == b'-' => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(|c| c.is_ascii_digit()) {
                return false;
            }
            let oh = (h1 - b'0') * 10 + (h2 - b'0');
            let om = (m1 - b'0') * 10 + (m2 - b'0');
            oh <= 23 && om <= 59
        }
        _ => false,
    }
}

/// Cheap shape check of a bech32 address, done before asking the chain (`addr_validate`):
/// a malformed address then fails with a clean error instead of a VM trap.
pub fn address_shape(s: &str) -> Result<()> {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let bad = |why: &str| Err(invalid("address", why, s));
    if s.is_empty() || s.len() > MAX_ADDR_LEN {
        return bad("must be 1..=90 chars");
    }
    let sep = match s.rfind('1') {
        Some(p) => p,
        None => return bad("has no bech32 separator"),
    };
    let (hrp, data) = (&s[..sep], &s[sep + 1..]);
    if hrp.is_empty() || !hrp.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return bad("has an invalid prefix");
    }
    if data.len() < 6 || !data.bytes().all(|b| CHARSET.contains(&b)) {
        return bad("is not lowercase bech32");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        let ok = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(digest("d", ok).unwrap()[0], 0xba);
        assert!(digest("d", &ok.to_uppercase()).is_err());
        assert!(digest("d", &ok[..63]).is_err());
        assert!(digest("d", &format!("{ok}0")).is_err());
        assert!(digest("d", &"g".repeat(64)).is_err());
    }

    #[test]
    fn idents() {
        assert!(ident("s", "research:genomics_v1.2-x").is_ok());
        assert!(ident("s", "").is_err());
        assert!(ident("s", &"a".repeat(128)).is_ok());
        assert!(ident("s", &"a".repeat(129)).is_err());
        for bad in ["a b", "a/b", "ä", "a\n", "a\"b"] {
            assert!(ident("s", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times() {
        for ok in [
            "1700000000",
            "0",
            "2024-02-29T12:00:00Z",
            "2024-01-01T00:00:00.123Z",
            "2023-12-31T23:59:60+01:00",
            "2023-06-01T08:30:00.123456789-05:30",
        ] {
            assert!(time("t", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "01700000000",
            "2023-02-29T12:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00+1:00",
            "-1",
            "99999999999999999999999",
        ] {
            assert!(time("t", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses() {
        assert!(address_shape("wasm1qqqqqqqqqqqqqq").is_ok());
        assert!(address_shape("cosmos1zzzzzz").is_ok());
        for bad in ["", "wasm", "1qqqqqq", "Wasm1qqqqqq", "wasm1qqqqqb", "wasm1qq"] {
            assert!(address_shape(bad).is_err(), "{bad}");
        }
    }
}

/// The purposes a format-2 record may name after `purpose:` (DUO's GRU ⊇ HMB ⊇ DS, POA and
/// methods as their own axes, commercial use as a modifier).
pub const PURPOSES: [&str; 6] = ["GRU", "HMB", "DS", "POA", "METHODS", "COMMERCIAL"];

/// `MONDO_` and seven digits: a disease a DS choice names (`purpose:DS:MONDO_0005148`).
fn is_mondo_id(s: &str) -> bool {
    s.len() == 13 && s.starts_with("MONDO_") && s[6..].bytes().all(|b| b.is_ascii_digit())
}

/// The record format rules (scope already checked as an identifier):
/// - no format (format 1, records written before formats existed): permit or deny, any scope;
/// - format 2: the scope is one of `purpose:<PURPOSE>` or `purpose:DS:<MONDO id>` (permit, deny
///   or ask), `discovery`, `recontact` or `ask_each_time` (permit or deny: on or off) or
///   `study:<id>` (permit or deny);
/// - any other format is unknown to this contract.
pub fn record_format(format: Option<u64>, scope: &str, decision: Decision) -> Result<()> {
    match format {
        None if decision == Decision::Ask => {
            Err(ContractError::Invalid("decision \"ask\" needs record format 2 (give \"format\": 2)".into()))
        }
        None => Ok(()),
        Some(RECORD_FORMAT) => {
            let purpose = scope
                .strip_prefix("purpose:")
                .map(|p| PURPOSES.contains(&p) || p.strip_prefix("DS:").map_or(false, is_mondo_id));
            let asks = decision == Decision::Ask;
            let ok = match purpose {
                Some(known) => known,
                None if ["discovery", "recontact", "ask_each_time"].contains(&scope) => !asks,
                None => scope.strip_prefix("study:").map_or(false, |id| !id.is_empty()) && !asks,
            };
            if ok {
                Ok(())
            } else if asks && purpose.is_none() {
                Err(invalid("decision", "\"ask\" is only for purposes (purpose:<code>)", scope))
            } else {
                Err(invalid(
                    "scope",
                    "is not a format-2 scope (purpose:<GRU|HMB|DS|POA|METHODS|COMMERCIAL>, purpose:DS:<MONDO id>, discovery, recontact, ask_each_time, study:<id>)",
                    scope,
                ))
            }
        }
        Some(n) => Err(ContractError::Invalid(format!(
            "unknown record format {n}: this contract writes format {RECORD_FORMAT} (or none, the legacy format 1)"
        ))),
    }
}
