import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { checkAuditRange, type RangeCheck } from './audit-verify-range.js';

/** Checks ranges of COPY text: in worker threads, or in this thread when it has none. */
export interface RangeChecker {
  check(bytes: Uint8Array): Promise<RangeCheck>;
  close(): Promise<void>;
}

/** Checks ranges in the calling thread (short logs, where starting threads costs more). */
export function inThreadChecker(): RangeChecker {
  const decoder = new TextDecoder();
  return {
    check: (bytes) => Promise.resolve(checkAuditRange(bytes, createHash, decoder)),
    close: () => Promise.resolve(),
  };
}

// The worker runs checkAuditRange from its source text, so it needs no module resolution (the
// same code runs from TypeScript under tsx or vitest and from the compiled build). `__name` is
// the helper tsx's esbuild may wrap named functions in; here it does nothing.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const __name = (f) => f;
const checkAuditRange = (${String(checkAuditRange)});
const decoder = new TextDecoder();
parentPort.on('message', ({ id, bytes }) => {
  try {
    parentPort.postMessage({ id, result: checkAuditRange(bytes, createHash, decoder) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack || error) });
  }
});
`;

interface Pending {
  resolve(result: RangeCheck): void;
  reject(error: Error): void;
}

/**
 * A pool of `size` worker threads; each range goes to the worker with the fewest ranges queued.
 * The bytes are copied into a buffer of their own and transferred, not cloned.
 */
export function workerChecker(size: number): RangeChecker {
  const pending = new Map<number, Pending>();
  const queued = new Array<number>(size).fill(0);
  let nextId = 0;
  const fail = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const workers = Array.from({ length: size }, (_, w) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (m: { id: number; result?: RangeCheck; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      queued[w]! -= 1;
      if (m.error !== undefined) p?.reject(new Error(`audit verify worker: ${m.error}`));
      else p?.resolve(m.result!);
    });
    worker.on('error', fail);
    return worker;
  });
  return {
    check(bytes) {
      const id = nextId++;
      let w = 0;
      for (let i = 1; i < size; i += 1) if (queued[i]! < queued[w]!) w = i;
      queued[w]! += 1;
      const own = new Uint8Array(bytes.byteLength);
      own.set(bytes);
      return new Promise<RangeCheck>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[w]!.postMessage({ id, bytes: own }, [own.buffer]);
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
