//! consent-ledger: a CosmWasm contract written against the raw VM ABI (no cosmwasm-std,
//! which is not available offline here).
//!
//! Layering, so that the logic can be tested on the host with `cargo test`:
//! - `abi`      : the VM glue (regions, `env` imports, exported entry points); wasm-only
//!                except for the host-testable `db_next` decoder.
//! - `storage`  : the `Storage`/`Api` traits plus host/in-memory and overlay implementations.
//! - `state`    : every storage key and value of the contract, in one place.
//! - `entry`    : JSON bytes in, `{"ok"|"error"}` JSON bytes out (what the exports call).
//! - `contract` : the logic, pure over `Storage` + `Api`.
//! - `canonical`: the byte encoding hashed into the head chain (documented for verifiers).
//! - `passkeys`, `members`, `links`: participants' keys; the network's member institutions;
//!                one participant's pseudonyms at several members, linked by their passkeys.
//! - `msg`, `response`, `error`, `validate`, `encoding`, `sha256`: plain helpers.

pub mod abi;
pub mod canonical;
pub mod contract;
pub mod encoding;
pub mod entry;
pub mod error;
pub mod links;
pub mod members;
pub mod msg;
pub mod passkeys;
pub mod response;
pub mod sha256;
pub mod state;
pub mod storage;
pub mod validate;
pub mod webauthn;
