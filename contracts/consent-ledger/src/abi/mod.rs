//! The CosmWasm VM ABI, hand-written.
//!
//! - `region`   : the `Region` struct through which host and contract exchange byte buffers.
//! - `imports`  : the `env` functions the contract uses, wrapped as `Storage` and `Api`.
//! - `exports`  : `interface_version_8`, `allocate`, `deallocate`, `instantiate`, `execute`,
//!                `query`, and the panic hook that reports panics through `abort`.
//! - `sections` : decoding of `db_next` results (host-testable).
//! Only `sections` is compiled on the host: the rest assumes 32-bit pointers.

#[cfg(target_arch = "wasm32")]
pub mod exports;
#[cfg(target_arch = "wasm32")]
pub mod imports;
#[cfg(target_arch = "wasm32")]
pub mod region;
pub mod sections;
