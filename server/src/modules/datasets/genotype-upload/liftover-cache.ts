import { ChainLiftover } from '../../genomics/liftover/chain-liftover.js';

const loaded = new Map<string, Promise<ChainLiftover>>();

/**
 * The chain file at a path, read once per process (hg19ToHg38 is ~1 MB gzip and takes a moment
 * to index); a failed read is forgotten so the next upload tries again.
 */
export function liftoverAt(path: string): Promise<ChainLiftover> {
  let chain = loaded.get(path);
  if (!chain) {
    chain = ChainLiftover.fromFile(path);
    chain.catch(() => loaded.delete(path));
    loaded.set(path, chain);
  }
  return chain;
}
