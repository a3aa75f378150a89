import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFileStore } from './file-store.js';

describe('LocalFileStore', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'file-store-test-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const store = new LocalFileStore(path.join(root, 'files'));

  const put = async (key: string, body: string) => {
    const upload = await store.create(key);
    upload.stream.write(body);
    await upload.commit();
  };

  it('shows a file only once committed, then reads it whole or by range, privately', async () => {
    const upload = await store.create('exports/a/file.txt');
    upload.stream.write('0123456789');
    expect(await store.size('exports/a/file.txt')).toBeNull();
    await upload.commit();
    expect(await store.size('exports/a/file.txt')).toBe(10);
    expect(await text(store.read('exports/a/file.txt'))).toBe('0123456789');
    expect(await text(store.read('exports/a/file.txt', { start: 2, end: 4 }))).toBe('234');
    expect(fs.statSync(path.join(root, 'files', 'exports', 'a', 'file.txt')).mode & 0o777).toBe(
      0o600,
    );
    expect(fs.statSync(path.join(root, 'files')).mode & 0o777).toBe(0o700);
    await store.remove('exports/a/file.txt');
    expect(await store.size('exports/a/file.txt')).toBeNull();
  });

  it('leaves nothing behind when a write is aborted', async () => {
    const upload = await store.create('exports/b/file.txt');
    upload.stream.write('half');
    await upload.abort();
    expect(await store.size('exports/b/file.txt')).toBeNull();
    expect(fs.readdirSync(path.join(root, 'files', 'exports', 'b'))).toEqual([]);
  });

  it('never replaces a file: a second commit under the same key fails and keeps the first', async () => {
    await put('once.txt', 'first');
    await expect(put('once.txt', 'second')).rejects.toThrow(/EEXIST/);
    expect(await text(store.read('once.txt'))).toBe('first');
  });

  it('refuses keys that would leave its directory', async () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', '.partial-x', 'a//b', ''])
      await expect(store.create(key), key).rejects.toThrow(/Not a valid file key/);
    expect(() => store.read('../x')).toThrow(/Not a valid file key/);
  });

  it('sweeps files a crashed writer left half-written', async () => {
    const upload = await store.create('exports/c/file.txt');
    upload.stream.write('crash');
    await new Promise((resolve) => upload.stream.end(resolve));
    // A fresh partial may be another instance's export being written: kept.
    expect(await store.sweepPartials()).toBe(0);
    expect(await store.sweepPartials(0)).toBe(1);
    expect(fs.readdirSync(path.join(root, 'files', 'exports', 'c'))).toEqual([]);
  });
});
