//! The `env` imports (only those used; all from the standard CosmWasm set) and the
//! `Storage`/`Api` implementations on top of them.

use super::region::{consume_region, Region, RegionRef};
use super::sections::split_kv;
use crate::storage::{Api, Order, Record, Storage};

extern "C" {
    fn db_read(key: u32) -> u32;
    fn db_write(key: u32, value: u32);
    fn db_remove(key: u32);
    /// Returns an iterator handle (an id on wasmd; a region pointer on the JS simulator).
    /// We only ever pass it back to `db_next`, which works with both.
    fn db_scan(start_ptr: u32, end_ptr: u32, order: i32) -> u32;
    /// Returns a region holding key ‖ keylen(u32 BE) ‖ value ‖ valuelen(u32 BE);
    /// an empty key means the iterator is exhausted.
    fn db_next(iterator_id: u32) -> u32;
    /// 0 if valid, else a region with the error message.
    fn addr_validate(source_ptr: u32) -> u32;
    /// 0 = valid, 1 = invalid, anything else = an error code (CosmWasm 2.1+).
    fn secp256r1_verify(message_hash_ptr: u32, signature_ptr: u32, public_key_ptr: u32) -> u32;
    pub(crate) fn abort(source_ptr: u32);
}

/// Contract storage provided by the VM.
pub struct ExternalStorage;

impl Storage for ExternalStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let k = RegionRef::new(key);
        let ptr = unsafe { db_read(k.ptr()) };
        if ptr == 0 {
            None
        } else {
            Some(unsafe { consume_region(ptr as *mut Region) })
        }
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        // CosmWasm rejects empty values; the contract never writes one (see state.rs).
        assert!(!value.is_empty(), "empty storage value");
        let (k, v) = (RegionRef::new(key), RegionRef::new(value));
        unsafe { db_write(k.ptr(), v.ptr()) }
    }

    fn remove(&mut self, key: &[u8]) {
        let k = RegionRef::new(key);
        unsafe { db_remove(k.ptr()) }
    }

    fn range<'a>(&'a self, start: &[u8], end: &[u8], order: Order) -> Box<dyn Iterator<Item = Record> + 'a> {
        let (s, e) = (RegionRef::new(start), RegionRef::new(end));
        let id = unsafe { db_scan(s.ptr(), e.ptr(), order as i32) };
        Box::new(ExternalIterator { id, done: false })
    }
}

struct ExternalIterator {
    id: u32,
    done: bool,
}

impl Iterator for ExternalIterator {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.done {
            return None;
        }
        let ptr = unsafe { db_next(self.id) };
        let kv = unsafe { consume_region(ptr as *mut Region) };
        match split_kv(kv) {
            Some(rec) => Some(rec),
            None => {
                self.done = true;
                None
            }
        }
    }
}

/// Address validation provided by the VM.
pub struct ExternalApi;

impl Api for ExternalApi {
    fn addr_validate(&self, addr: &str) -> Result<(), String> {
        let a = RegionRef::new(addr.as_bytes());
        let ptr = unsafe { addr_validate(a.ptr()) };
        if ptr == 0 {
            Ok(())
        } else {
            let msg = unsafe { consume_region(ptr as *mut Region) };
            Err(String::from_utf8_lossy(&msg).into_owned())
        }
    }

    fn secp256r1_verify(&self, prehash: &[u8; 32], signature: &[u8; 64], public_key: &[u8]) -> Result<bool, String> {
        let (h, sig, pk) = (RegionRef::new(prehash), RegionRef::new(signature), RegionRef::new(public_key));
        match unsafe { secp256r1_verify(h.ptr(), sig.ptr(), pk.ptr()) } {
            0 => Ok(true),
            1 => Ok(false),
            code => Err(format!("the chain could not verify the signature (error code {code})")),
        }
    }
}
