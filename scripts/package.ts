/**
 * `npm run package`: zips the built plugin (dist/) into artifacts/<id>-<version>.zip and one
 * artifacts/<id>-<version>.<os>_<arch>.zip per platform, each with checksums.
 * Build first (npm run build && npm run build:backend); sign first if you sign (npm run sign).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { PackageError, packagePlugin } from './pluginPackage';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const source = JSON.parse(readFileSync(join(root, 'src', 'plugin.json'), 'utf8')) as { id: string };

packagePlugin({
  distDir: join(root, 'dist'),
  outDir: join(root, 'artifacts'),
  pluginId: source.id,
  version: pkg.version,
})
  .then((result) => {
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    for (const zip of [result, ...result.platformZips]) {
      const executables = zip.entries.filter((e) => e.mode === 0o755 && !e.isDirectory).length;
      console.log(
        `wrote ${relative(root, zip.zipPath)} (${mb(zip.bytes)}, ${zip.entries.length} entries, ${executables} executables) + .sha256 .sha1`
      );
    }
    if (result.platformZipsSkipped) {
      console.log(result.platformZipsSkipped);
    }
    console.log(`sha256 ${result.sha256}`);
    console.log(
      result.signed
        ? 'signed: dist/MANIFEST.txt matches every file'
        : 'unsigned: allow it with GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS, or sign with npm run sign first'
    );
  })
  .catch((error: unknown) => {
    console.error(error instanceof PackageError ? error.message : error);
    process.exit(1);
  });
