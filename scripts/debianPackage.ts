/**
 * Debian packages as plain file trees: `apt-get download` the .deb once into a cache folder
 * and unpack it there with `dpkg-deb -x`, so later builds and smoke runs work offline.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Unpacks Debian's `pkg` into `<cacheDir>/root` (once) and returns that folder. */
export function extractDebianPackage(pkg: string, cacheDir: string): string {
  const root = join(cacheDir, 'root');
  if (!existsSync(root)) {
    mkdirSync(cacheDir, { recursive: true });
    try {
      execFileSync('apt-get', ['download', pkg], { cwd: cacheDir, stdio: 'ignore' });
    } catch {
      throw new Error(`could not fetch Debian's ${pkg} with apt-get download (a Debian build host is required)`);
    }
    const deb = readdirSync(cacheDir).find((file) => file.endsWith('.deb'))!;
    execFileSync('dpkg-deb', ['-x', join(cacheDir, deb), root]);
  }
  return root;
}
