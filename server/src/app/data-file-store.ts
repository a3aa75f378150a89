import path from 'node:path';
import type { Config } from '../config.js';
import { LocalFileStore } from '../lib/file-store.js';

/**
 * The file store of an instance: DATA_DIR/files (0700), shared by every process on the same
 * DATA_DIR (instances behind one PostgreSQL need a shared DATA_DIR, or an S3-compatible
 * `FileStore`, for a download to find an export another instance wrote).
 */
export function dataFileStore(config: Pick<Config, 'dataDir'>): LocalFileStore {
  return new LocalFileStore(path.join(config.dataDir, 'files'));
}
