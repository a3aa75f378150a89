//! The CosmWasm `Response` JSON (1.x/2.x shape) and the `{"ok":..}/{"error":..}` envelope.

use serde::Serialize;

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The chain reports it as `wasm-<type>`.
    #[serde(rename = "type")]
    pub ty: String,
    pub attributes: Vec<Attribute>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// Always empty: the contract sends no messages. (`Value` only to give it a type.)
    pub messages: Vec<serde_json::Value>,
    pub attributes: Vec<Attribute>,
    pub events: Vec<Event>,
    /// Base64, or null.
    pub data: Option<String>,
}

fn attr(key: &str, value: impl ToString) -> Attribute {
    Attribute { key: key.to_string(), value: value.to_string() }
}

impl Response {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an attribute (wasmd rejects empty values, so callers never pass one).
    pub fn add_attribute(mut self, key: &str, value: impl ToString) -> Self {
        self.attributes.push(attr(key, value));
        self
    }

    pub fn add_event(mut self, ty: &str, attributes: &[(&str, String)]) -> Self {
        self.events
            .push(Event { ty: ty.to_string(), attributes: attributes.iter().map(|(k, v)| attr(k, v)).collect() });
        self
    }

    pub fn set_data(mut self, data: &[u8]) -> Self {
        self.data = Some(crate::encoding::base64_encode(data));
        self
    }

    /// Value of the first attribute named `key` (tests and callers).
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.key == key).map(|a| a.value.as_str())
    }
}

/// `{"ok": T}` or `{"error": "..."}`: CosmWasm's `ContractResult` encoding.
#[derive(Serialize, Debug)]
#[serde(rename_all = "snake_case")]
pub enum ContractResult<T> {
    Ok(T),
    Error(String),
}
