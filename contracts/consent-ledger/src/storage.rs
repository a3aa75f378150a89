//! Host-independent storage/API abstractions.
//!
//! The contract logic only sees these traits: on wasm they are backed by the VM's `env`
//! imports (`abi::imports`), in `cargo test` by `MemStorage`/`MockApi`. `Overlay` buffers
//! writes so that an execute either commits all of its writes or none of them.

use std::collections::BTreeMap;

/// Iteration order; the numeric values are the ones `db_scan` expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Ascending = 1,
    Descending = 2,
}

pub type Record = (Vec<u8>, Vec<u8>);

pub trait Storage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>>;
    fn set(&mut self, key: &[u8], value: &[u8]);
    fn remove(&mut self, key: &[u8]);
    /// Entries with `start <= key < end`, in `order`. Bounds are always explicit: the
    /// simulated VM reads a "null" bound from address 0 of linear memory.
    fn range<'a>(&'a self, start: &[u8], end: &[u8], order: Order) -> Box<dyn Iterator<Item = Record> + 'a>;
}

/// The chain-provided address API.
pub trait Api {
    /// `Err(reason)` if `addr` is not a valid address of this chain.
    fn addr_validate(&self, addr: &str) -> Result<(), String>;
    /// ECDSA P-256 over a 32-byte prehash, raw r ‖ s signature, SEC1 public key.
    /// `Ok(false)`: does not verify; `Err`: the host refused the input.
    fn secp256r1_verify(&self, prehash: &[u8; 32], signature: &[u8; 64], public_key: &[u8]) -> Result<bool, String>;
}

/// In-memory storage for host tests.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct MemStorage {
    pub map: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl MemStorage {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Storage for MemStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.map.get(key).cloned()
    }
    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.map.insert(key.to_vec(), value.to_vec());
    }
    fn remove(&mut self, key: &[u8]) {
        self.map.remove(key);
    }
    fn range<'a>(&'a self, start: &[u8], end: &[u8], order: Order) -> Box<dyn Iterator<Item = Record> + 'a> {
        if start >= end {
            return Box::new(std::iter::empty());
        }
        let it = self.map.range(start.to_vec()..end.to_vec()).map(|(k, v)| (k.clone(), v.clone()));
        match order {
            Order::Ascending => Box::new(it),
            Order::Descending => Box::new(it.rev()),
        }
    }
}

/// Write buffer over a read-only base. Reads see the buffered writes; `commit` applies them.
/// Dropping an `Overlay` without committing discards every write (used on any error).
pub struct Overlay<'a> {
    base: &'a dyn Storage,
    /// `None` = removed.
    pending: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a dyn Storage) -> Self {
        Overlay { base, pending: BTreeMap::new() }
    }

    /// The buffered writes, in key order (deterministic).
    pub fn into_writes(self) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
        self.pending
    }
}

/// Applies writes produced by `Overlay::into_writes`.
pub fn apply_writes(storage: &mut dyn Storage, writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>) {
    for (k, v) in writes {
        match v {
            Some(v) => storage.set(&k, &v),
            None => storage.remove(&k),
        }
    }
}

impl<'b> Storage for Overlay<'b> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        match self.pending.get(key) {
            Some(v) => v.clone(),
            None => self.base.get(key),
        }
    }
    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.pending.insert(key.to_vec(), Some(value.to_vec()));
    }
    fn remove(&mut self, key: &[u8]) {
        self.pending.insert(key.to_vec(), None);
    }
    fn range<'a>(&'a self, start: &[u8], end: &[u8], order: Order) -> Box<dyn Iterator<Item = Record> + 'a> {
        // Merge: base entries in range, then buffered writes on top. Only used for small
        // ranges (the writer list) during executes, so materialising is fine.
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = self.base.range(start, end, Order::Ascending).collect();
        if start < end {
            for (k, v) in self.pending.range(start.to_vec()..end.to_vec()) {
                match v {
                    Some(v) => merged.insert(k.clone(), v.clone()),
                    None => merged.remove(k),
                };
            }
        }
        let items: Vec<Record> = merged.into_iter().collect();
        match order {
            Order::Ascending => Box::new(items.into_iter()),
            Order::Descending => Box::new(items.into_iter().rev()),
        }
    }
}

/// Test API: accepts anything that looks like a bech32 address (see `validate::address_shape`).
/// There is no P-256 implementation on the host (no crates offline, and hand-written curve
/// arithmetic is not worth trusting), so signatures verify only if listed in `valid_signatures`
/// (raw r ‖ s); the real verification is tested on the wasm, on both chain adapters.
#[derive(Default, Clone, Debug)]
pub struct MockApi {
    pub valid_signatures: Vec<[u8; 64]>,
}

impl Api for MockApi {
    fn addr_validate(&self, addr: &str) -> Result<(), String> {
        crate::validate::address_shape(addr).map_err(|e| e.to_string())
    }
    fn secp256r1_verify(&self, _prehash: &[u8; 32], signature: &[u8; 64], _public_key: &[u8]) -> Result<bool, String> {
        Ok(self.valid_signatures.contains(signature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_reads_own_writes_and_discards_on_drop() {
        let mut base = MemStorage::new();
        base.set(b"a", b"1");
        base.set(b"b", b"2");
        {
            let mut o = Overlay::new(&base);
            o.set(b"c", b"3");
            o.remove(b"a");
            assert_eq!(o.get(b"c"), Some(b"3".to_vec()));
            assert_eq!(o.get(b"a"), None);
            let keys: Vec<_> = o.range(b"a", b"z", Order::Descending).map(|(k, _)| k).collect();
            assert_eq!(keys, vec![b"c".to_vec(), b"b".to_vec()]);
        }
        assert_eq!(base.get(b"a"), Some(b"1".to_vec()));
        assert_eq!(base.get(b"c"), None);

        let mut o = Overlay::new(&base);
        o.set(b"c", b"3");
        o.remove(b"a");
        let w = o.into_writes();
        apply_writes(&mut base, w);
        assert_eq!(base.get(b"a"), None);
        assert_eq!(base.get(b"c"), Some(b"3".to_vec()));
    }
}
