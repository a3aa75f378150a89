//! Shared harness of the host tests: a contract over an in-memory storage, driven through
//! `consent_ledger::entry` (exactly what the wasm exports call).
#![allow(dead_code)]

pub use consent_ledger::encoding::hex_encode;
use consent_ledger::entry;
pub use consent_ledger::sha256::sha256;
use consent_ledger::storage::{MemStorage, MockApi};
pub use serde_json::{json, Value};

pub const ADMIN: &str = "wasm1admnzzzzzz";
pub const WRITER: &str = "wasm1wrtrzzzzzz";
pub const WRITER2: &str = "wasm1wrtr2zzzzz";
pub const OTHER: &str = "wasm1stranger";
pub const ZERO_HEAD: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn env(height: u64) -> Vec<u8> {
    json!({
        "block": {"height": height, "time": "1700000000123456789", "chain_id": "test-1"},
        "transaction": {"index": 0},
        "contract": {"address": "wasm1contractzzzz"}
    })
    .to_string()
    .into_bytes()
}

pub fn info(sender: &str) -> Vec<u8> {
    json!({"sender": sender, "funds": []}).to_string().into_bytes()
}

pub fn parse(out: Vec<u8>) -> Value {
    let s = String::from_utf8(out).expect("utf8");
    assert!(s.is_ascii(), "contract output must be ASCII: {s}");
    serde_json::from_str(&s).expect("json")
}

pub fn b64decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = acc << 6 | A.iter().position(|&a| a == c).expect("base64 char") as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

pub struct Chain {
    pub store: MemStorage,
    pub height: u64,
    /// The host's signature check (see `MockApi`): signatures listed there verify.
    pub api: MockApi,
}

impl Chain {
    pub fn new() -> Self {
        let mut c = Chain { store: MemStorage::new(), height: 1, api: MockApi::default() };
        let r = c.instantiate(json!({"admin": ADMIN, "writers": [WRITER]}));
        assert!(r.get("ok").is_some(), "{r}");
        c
    }

    pub fn instantiate(&mut self, msg: Value) -> Value {
        parse(entry::instantiate(
            &mut self.store,
            &MockApi::default(),
            &env(self.height),
            &info(OTHER),
            msg.to_string().as_bytes(),
        ))
    }

    pub fn exec_raw(&mut self, sender: &str, msg: &[u8]) -> Value {
        self.height += 1;
        parse(entry::execute(&mut self.store, &self.api, &env(self.height), &info(sender), msg))
    }

    pub fn exec(&mut self, sender: &str, msg: Value) -> Value {
        self.exec_raw(sender, msg.to_string().as_bytes())
    }

    /// Executes and asserts success; returns the Response.
    pub fn ok(&mut self, sender: &str, msg: Value) -> Value {
        let r = self.exec(sender, msg);
        r.get("ok").cloned().unwrap_or_else(|| panic!("expected ok, got {r}"))
    }

    /// Executes, asserts failure containing `needle`, and asserts storage did not change.
    pub fn fails(&mut self, sender: &str, msg: Value, needle: &str) {
        let before = self.store.clone();
        let r = self.exec(sender, msg);
        let err = r.get("error").and_then(Value::as_str).unwrap_or_else(|| panic!("expected error, got {r}"));
        assert!(err.contains(needle), "error {err:?} does not contain {needle:?}");
        assert_eq!(self.store, before, "state changed by a failed execute");
    }

    pub fn query_raw(&self, msg: &[u8]) -> Value {
        parse(entry::query(&self.store, &env(self.height), msg))
    }

    pub fn query(&self, msg: Value) -> Value {
        let r = self.query_raw(msg.to_string().as_bytes());
        let b64 = r.get("ok").and_then(Value::as_str).unwrap_or_else(|| panic!("query failed: {r}"));
        serde_json::from_slice(&b64decode(b64)).unwrap()
    }

    pub fn head(&self) -> Value {
        self.query(json!({"head": {}}))
    }
}

pub fn attr(resp: &Value, key: &str) -> String {
    resp["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
        .unwrap_or_else(|| panic!("no attribute {key} in {resp}"))["value"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn hex64(seed: &str) -> String {
    hex_encode(&sha256(seed.as_bytes()))
}
