//! Contract errors. Every error aborts the whole call: an execute that returns one commits
//! no writes (see `contract::execute`). Messages are ASCII-only (the simulated VM mishandles
//! non-ASCII), so user input is echoed through `show`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractError {
    /// Malformed JSON or an unknown message variant.
    Parse(String),
    /// Sender is not allowed to do this.
    Unauthorized(String),
    /// A field failed validation.
    Invalid(String),
    /// Same event id / batch number as an existing record, different payload.
    Conflict(String),
    /// A state rule failed (version order, anchor contiguity, ...).
    Rejected(String),
    /// Stored data could not be decoded (should never happen).
    Corrupt(String),
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContractError::Parse(m) => write!(f, "parse error: {m}"),
            ContractError::Unauthorized(m) => write!(f, "unauthorized: {m}"),
            ContractError::Invalid(m) => write!(f, "invalid: {m}"),
            ContractError::Conflict(m) => write!(f, "conflict: {m}"),
            ContractError::Rejected(m) => write!(f, "rejected: {m}"),
            ContractError::Corrupt(m) => write!(f, "corrupt state: {m}"),
        }
    }
}

impl std::error::Error for ContractError {}

pub type Result<T, E = ContractError> = std::result::Result<T, E>;

/// Quotes user input for an error message: printable ASCII kept, anything else escaped,
/// long input truncated.
pub fn show(s: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        if i == 80 {
            out.push_str("...");
            break;
        }
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn show_is_ascii() {
        assert_eq!(super::show("a\"é"), "\"a\\\"\\u{e9}\"");
        assert!(super::show(&"x".repeat(200)).ends_with("...\""));
    }
}
