import { createRequire } from 'node:module';
import type * as RoaringModule from 'roaring-wasm';

// roaring-wasm ships CommonJS whose typings describe named exports; load it through require so
// the same object serves Node's ESM loader and Vite's.
const roaring = createRequire(import.meta.url)('roaring-wasm') as typeof RoaringModule;

/** Compressed bitmaps of participant numbers (CRoaring compiled to WebAssembly). */
export const RoaringBitmap32 = roaring.RoaringBitmap32;
export type RoaringBitmap32 = RoaringModule.RoaringBitmap32;

let ready: Promise<void> | null = null;

/** Loads the WebAssembly module once; every index build awaits it. */
export function initRoaring(): Promise<void> {
  ready ??= roaring.roaringLibraryInitialize();
  return ready;
}

/**
 * Bitmaps created while answering one query: WebAssembly memory is not garbage collected
 * promptly, so every temporary is disposed when the query ends.
 */
export class BitmapArena {
  private readonly owned: RoaringBitmap32[] = [];

  /** Registers a bitmap to dispose with the arena, and returns it. */
  own(bitmap: RoaringBitmap32): RoaringBitmap32 {
    this.owned.push(bitmap);
    return bitmap;
  }

  /** A new empty bitmap owned by the arena. */
  empty(): RoaringBitmap32 {
    return this.own(new RoaringBitmap32());
  }

  /** Frees every bitmap the arena owns. */
  dispose(): void {
    for (const b of this.owned) b.dispose();
    this.owned.length = 0;
  }
}
