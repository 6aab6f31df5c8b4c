/**
 * Writing and reading zip archives with Unix permissions, which Grafana's plugin installer keeps
 * (an executable without its x bit cannot be launched). yazl writes, yauzl reads back.
 */
import { chmodSync, createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { text } from 'node:stream/consumers';
import yauzl from 'yauzl';
import yazl from 'yazl';

export interface ZipInput {
  /** Path inside the archive, `/`-separated; directories end with `/`. */
  archivePath: string;
  /** File on disk (absent for directories). */
  sourcePath?: string;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
}

export interface ZipListingEntry {
  path: string;
  isDirectory: boolean;
  /** Unix permission bits from the external attributes (0 when the archive did not record them). */
  mode: number;
  size: number;
}

export async function writeZip(zipPath: string, inputs: ZipInput[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const input of inputs) {
    if (input.archivePath.endsWith('/')) {
      zip.addEmptyDirectory(input.archivePath, { mode: 0o40000 | input.mode });
    } else {
      zip.addFile(input.sourcePath!, input.archivePath, { mode: 0o100000 | input.mode, compress: true });
    }
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
}

/** Every entry of an archive, in archive order. */
export async function listZip(zipPath: string): Promise<ZipListingEntry[]> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  const entries: ZipListingEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      entries.push({
        path: entry.fileName,
        isDirectory: entry.fileName.endsWith('/'),
        mode: (entry.externalFileAttributes >>> 16) & 0o7777,
        size: entry.uncompressedSize,
      });
    }
  } finally {
    zip.close();
  }
  return entries;
}

/** The text of one archived file (for plugin.json), or undefined when the archive lacks it. */
export async function readZipText(zipPath: string, archivePath: string): Promise<string | undefined> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === archivePath) {
        return await text(await zip.openReadStreamPromise(entry));
      }
    }
    return undefined;
  } finally {
    zip.close();
  }
}

/**
 * Extracts the entries `wanted` accepts into `dest`, applying each entry's Unix mode as Grafana's
 * installer does, and returns the written paths.
 */
export async function extractZip(zipPath: string, dest: string, wanted: (path: string) => boolean): Promise<string[]> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  const written: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/') || !wanted(entry.fileName)) {
        continue;
      }
      const target = join(dest, entry.fileName);
      mkdirSync(dirname(target), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target));
      chmodSync(target, (entry.externalFileAttributes >>> 16) & 0o777);
      written.push(target);
    }
  } finally {
    zip.close();
  }
  return written;
}
