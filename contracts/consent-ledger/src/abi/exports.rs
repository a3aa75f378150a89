//! Exported functions. Everything here is plumbing: read the argument regions, call
//! `crate::entry`, return the result region.

use super::imports::{abort, ExternalApi, ExternalStorage};
use super::region::{alloc_region, consume_region, release_buffer, Region, RegionRef};
use crate::entry;

/// Marks the contract as speaking CosmWasm interface version 8 (CosmWasm 1.x/2.x VMs).
#[no_mangle]
pub extern "C" fn interface_version_8() {}

/// Called by the host to obtain a buffer it can write arguments into.
#[no_mangle]
pub extern "C" fn allocate(size: usize) -> u32 {
    alloc_region(size) as u32
}

/// Called by the host to free a region we returned to it.
#[no_mangle]
pub extern "C" fn deallocate(pointer: u32) {
    drop(unsafe { consume_region(pointer as *mut Region) });
}

/// Reports a panic through `env.abort` so the host sees the message instead of a bare trap.
/// Installed on every call: cheap, and correct even if the host reuses the instance.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string();
        let r = RegionRef::new(msg.as_bytes());
        unsafe { abort(r.ptr()) };
    }));
}

fn arg(ptr: u32) -> Vec<u8> {
    unsafe { consume_region(ptr as *mut Region) }
}

#[no_mangle]
pub extern "C" fn instantiate(env_ptr: u32, info_ptr: u32, msg_ptr: u32) -> u32 {
    install_panic_hook();
    let (env, info, msg) = (arg(env_ptr), arg(info_ptr), arg(msg_ptr));
    release_buffer(entry::instantiate(&mut ExternalStorage, &ExternalApi, &env, &info, &msg)) as u32
}

#[no_mangle]
pub extern "C" fn execute(env_ptr: u32, info_ptr: u32, msg_ptr: u32) -> u32 {
    install_panic_hook();
    let (env, info, msg) = (arg(env_ptr), arg(info_ptr), arg(msg_ptr));
    release_buffer(entry::execute(&mut ExternalStorage, &ExternalApi, &env, &info, &msg)) as u32
}

#[no_mangle]
pub extern "C" fn query(env_ptr: u32, msg_ptr: u32) -> u32 {
    install_panic_hook();
    let (env, msg) = (arg(env_ptr), arg(msg_ptr));
    release_buffer(entry::query(&ExternalStorage, &env, &msg)) as u32
}
