import type { SimRegion, SimVm } from './simulator-internals.js';

/**
 * Defect 2: cosmwasm-vm-js's `allocate_str` sizes the region with `str.length` (UTF-16 code
 * units) and then writes the UTF-8 bytes, so any message containing a non-ASCII character throws
 * "offset is out of bounds" (or overwrites the allocator's neighbour). This sizes the region with
 * the UTF-8 byte length. Every message, env and info passes through `allocate_str` (via
 * `allocate_json`), so fixing it here fixes them all.
 */
export function useUtf8ByteLengths(vm: SimVm): void {
  vm.allocate_str = (str: string): SimRegion => {
    const bytes = Buffer.from(str, 'utf8');
    const region = vm.allocate(bytes.length);
    region.write(bytes);
    return region;
  };
}
