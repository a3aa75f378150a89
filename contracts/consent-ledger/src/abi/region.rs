//! Regions: `{offset, capacity, length}` (three little-endian u32, wasm32 layout) describing
//! a byte buffer in linear memory. Ownership rules (same as cosmwasm-std):
//! - the host gets regions from our `allocate` and hands them to us; we `consume_region`
//!   them, which frees both the descriptor and the buffer when the Vec drops;
//! - buffers we return are leaked with `release_buffer`; the host frees them via `deallocate`;
//! - arguments to imports are borrowed views (`RegionRef`) that the host only reads.

use std::mem;

#[repr(C)]
#[derive(Debug)]
pub struct Region {
    /// Address of the first byte.
    pub offset: u32,
    /// Bytes allocated at `offset`.
    pub capacity: u32,
    /// Bytes in use (≤ capacity).
    pub length: u32,
}

/// Allocates an empty buffer of `size` bytes and a region describing it.
pub fn alloc_region(size: usize) -> *mut Region {
    let buf: Vec<u8> = Vec::with_capacity(size);
    release(buf, 0)
}

/// Hands `data` over to the host; returns the region pointer (ownership moves with it).
pub fn release_buffer(data: Vec<u8>) -> *mut Region {
    let len = data.len();
    release(data, len)
}

fn release(mut buf: Vec<u8>, length: usize) -> *mut Region {
    let region = Region { offset: buf.as_mut_ptr() as u32, capacity: buf.capacity() as u32, length: length as u32 };
    mem::forget(buf);
    Box::into_raw(Box::new(region))
}

/// Takes ownership of a region created by `alloc_region`/`release_buffer` (possibly filled
/// by the host) and returns its bytes.
///
/// # Safety
/// `ptr` must come from `alloc_region`/`release_buffer` and must not be used afterwards.
pub unsafe fn consume_region(ptr: *mut Region) -> Vec<u8> {
    assert!(!ptr.is_null(), "region pointer is null");
    let region = Box::from_raw(ptr);
    assert!(region.length <= region.capacity, "region length exceeds capacity");
    Vec::from_raw_parts(region.offset as *mut u8, region.length as usize, region.capacity as usize)
}

/// A region describing borrowed bytes, for passing arguments to imports. Keep it alive
/// (and `data` unchanged) for the duration of the call.
pub struct RegionRef(Box<Region>);

impl RegionRef {
    pub fn new(data: &[u8]) -> Self {
        let len = data.len() as u32;
        RegionRef(Box::new(Region { offset: data.as_ptr() as u32, capacity: len, length: len }))
    }

    pub fn ptr(&self) -> u32 {
        &*self.0 as *const Region as u32
    }
}
