//! JSON in, JSON out: the entry points minus the memory plumbing. The wasm exports in
//! `abi::exports` are thin wrappers around these, so the exact bytes the VM receives are
//! covered by host tests.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::contract;
use crate::error::{ContractError, Result};
use crate::msg::{Env, MessageInfo};
use crate::response::ContractResult;
use crate::storage::{Api, Storage};

fn parse<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| ContractError::Parse(format!("{what}: {e}")))
}

/// Keeps error strings ASCII: serde messages may quote user input, and the simulated VM
/// mishandles non-ASCII strings.
fn ascii(s: String) -> String {
    if s.is_ascii() {
        return s;
    }
    s.chars().map(|c| if c.is_ascii() { c.to_string() } else { format!("\\u{{{:x}}}", c as u32) }).collect()
}

fn envelope<T: Serialize>(r: Result<T>) -> Vec<u8> {
    let out = match r {
        Ok(v) => ContractResult::Ok(v),
        Err(e) => ContractResult::Error(ascii(e.to_string())),
    };
    // Serialising our own plain structs cannot fail.
    serde_json::to_vec(&out).unwrap_or_else(|_| br#"{"error":"serialization failed"}"#.to_vec())
}

pub fn instantiate(store: &mut dyn Storage, api: &dyn Api, env: &[u8], info: &[u8], msg: &[u8]) -> Vec<u8> {
    envelope((|| {
        let env: Env = parse("env", env)?;
        let info: MessageInfo = parse("info", info)?;
        contract::instantiate(store, api, &env, &info, parse("instantiate msg", msg)?)
    })())
}

pub fn execute(store: &mut dyn Storage, api: &dyn Api, env: &[u8], info: &[u8], msg: &[u8]) -> Vec<u8> {
    envelope((|| {
        let env: Env = parse("env", env)?;
        let info: MessageInfo = parse("info", info)?;
        contract::execute(store, api, &env, &info, parse("execute msg", msg)?)
    })())
}

pub fn query(store: &dyn Storage, env: &[u8], msg: &[u8]) -> Vec<u8> {
    envelope((|| {
        let env: Env = parse("env", env)?;
        contract::query_base64(store, &env, parse("query msg", msg)?)
    })())
}
