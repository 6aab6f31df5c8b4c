import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundledLoaderPaths, bundledRuntimeFiles } from './backendTargets';
import { PackageError, checkPluginZip, packagePlugin, requiredExecutables } from './pluginPackage';
import { listZip, readZipText, writeZip } from './zipArchive';

const root = join(__dirname, '..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const sourcePlugin = JSON.parse(readFileSync(join(root, 'src', 'plugin.json'), 'utf8'));
const pluginId: string = sourcePlugin.id;

let work: string;
let dist: string;
let out: string;

/** A dist/ shaped like the real build: the real plugin.json (version filled in) and small stand-in files. */
function makeDist(): void {
  mkdirSync(join(dist, 'img'), { recursive: true });
  writeFileSync(
    join(dist, 'plugin.json'),
    JSON.stringify({ ...sourcePlugin, info: { ...sourcePlugin.info, version } })
  );
  for (const file of ['module.js', 'module.js.map', 'README.md', 'CHANGELOG.md']) {
    writeFileSync(join(dist, file), `${file}\n`);
  }
  copyFileSync(join(root, 'LICENSE'), join(dist, 'LICENSE'));
  copyFileSync(join(root, 'src', 'img', 'logo.svg'), join(dist, 'img', 'logo.svg'));
  for (const executable of requiredExecutables(sourcePlugin.executable)) {
    writeFileSync(join(dist, executable), '#!/bin/sh\necho backend\n');
    // Deliberately not executable on disk: the zip must still carry 0755.
    chmodSync(join(dist, executable), 0o644);
  }
  // The glibc runtime the Linux launchers use on musl systems (loader + libraries).
  for (const file of bundledRuntimeFiles()) {
    mkdirSync(join(dist, file, '..'), { recursive: true });
    writeFileSync(join(dist, file), `${file}\n`);
    chmodSync(join(dist, file), 0o644);
  }
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'plugin-package-'));
  dist = join(work, 'dist');
  out = join(work, 'artifacts');
  makeDist();
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

const options = () => ({ distDir: dist, outDir: out, pluginId, version });

test('writes <id>-<version>.zip with one top folder named after the id and every file of dist/', async () => {
  const result = await packagePlugin(options());
  expect(result.zipPath).toBe(join(out, `${pluginId}-${version}.zip`));
  const listing = await listZip(result.zipPath);
  expect(new Set(listing.map((e) => e.path.split('/')[0]))).toEqual(new Set([pluginId]));
  const files = listing.filter((e) => !e.isDirectory).map((e) => e.path);
  expect(files).toEqual(
    expect.arrayContaining(
      ['plugin.json', 'module.js', 'README.md', 'CHANGELOG.md', 'LICENSE', 'img/logo.svg'].map(
        (f) => `${pluginId}/${f}`
      )
    )
  );
  expect(listing.map((e) => e.path)).toContain(`${pluginId}/img/`);
  expect(result.signed).toBe(false);
});

test('every executable is in the zip with mode 0755 and every other file with 0644', async () => {
  const { zipPath } = await packagePlugin(options());
  const listing = await listZip(zipPath);
  const modes = Object.fromEntries(
    listing.filter((e) => !e.isDirectory).map((e) => [e.path.slice(pluginId.length + 1), e.mode])
  );
  for (const executable of [...requiredExecutables(sourcePlugin.executable), ...bundledLoaderPaths()]) {
    expect({ executable, mode: modes[executable]?.toString(8) }).toEqual({ executable, mode: '755' });
  }
  expect(modes['module.js'].toString(8)).toBe('644');
  expect(modes['plugin.json'].toString(8)).toBe('644');
  const libraries = bundledRuntimeFiles().filter((f) => !bundledLoaderPaths().includes(f));
  expect(libraries.length).toBeGreaterThan(0);
  expect(libraries.map((f) => modes[f]?.toString(8))).toEqual(libraries.map(() => '644'));
});

test('refuses a dist/ without the bundled glibc runtime', async () => {
  const [loader] = bundledLoaderPaths();
  rmSync(join(dist, loader));
  await expect(packagePlugin(options())).rejects.toThrow(`${loader} (npm run build:backend)`);
});

test("the zipped plugin.json has the folder's id, and its executable names Grafana's five platforms", async () => {
  const { zipPath } = await packagePlugin(options());
  const plugin = JSON.parse((await readZipText(zipPath, `${pluginId}/plugin.json`))!);
  expect(plugin.id).toBe(pluginId);
  const files = (await listZip(zipPath)).map((e) => e.path);
  for (const platform of ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64.exe']) {
    expect(files).toContain(`${pluginId}/${plugin.executable}_${platform}`);
  }
});

test('writes sha256 and sha1 checksum files in the sha256sum format', async () => {
  const { zipPath, checksumPaths } = await packagePlugin(options());
  const bytes = readFileSync(zipPath);
  const name = `${pluginId}-${version}.zip`;
  expect(readFileSync(checksumPaths[0], 'utf8')).toBe(`${sha256(bytes)}  ${name}\n`);
  expect(readFileSync(checksumPaths[1], 'utf8')).toBe(`${createHash('sha1').update(bytes).digest('hex')}  ${name}\n`);
});

test('refuses a dist/ without the backend executables and says which build step makes them', async () => {
  rmSync(join(dist, `${sourcePlugin.executable}_darwin_arm64`));
  const error = await packagePlugin(options()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PackageError);
  expect((error as Error).message).toContain(`${sourcePlugin.executable}_darwin_arm64 (npm run build:backend)`);
});

test('refuses a plugin.json that the build did not fill in', async () => {
  writeFileSync(join(dist, 'plugin.json'), JSON.stringify(sourcePlugin));
  await expect(packagePlugin(options())).rejects.toThrow(/version "%VERSION%".*run npm run build again/);
});

test('the zip check rejects an executable or a bundled loader stored without its x bits', async () => {
  const { zipPath } = await packagePlugin(options());
  const listing = await listZip(zipPath);
  const broken = join(work, 'broken.zip');
  const extracted = join(work, 'files');
  mkdirSync(extracted);
  const inputs = [];
  for (const entry of listing.filter((e) => !e.isDirectory)) {
    const source = join(extracted, entry.path.replaceAll('/', '_'));
    writeFileSync(source, (await readZipText(zipPath, entry.path)) ?? '');
    const strip = [`${sourcePlugin.executable}_linux_amd64`, bundledLoaderPaths()[0]].some(
      (f) => entry.path === `${pluginId}/${f}`
    );
    inputs.push({ archivePath: entry.path, sourcePath: source, mode: strip ? 0o644 : entry.mode });
  }
  await writeZip(broken, inputs);
  expect((await checkPluginZip(broken)).sort()).toEqual(
    [
      `${bundledLoaderPaths()[0]} has mode 644, expected 755`,
      `${sourcePlugin.executable}_linux_amd64 has mode 644, expected 755`,
    ].sort()
  );
});

describe('signature manifest (dist/MANIFEST.txt from npx @grafana/sign-plugin)', () => {
  function writeManifest(files: Record<string, string>, plugin = pluginId): void {
    const body = JSON.stringify(
      { manifestVersion: '2.0.0', signatureType: 'private', plugin, version, files },
      null,
      2
    );
    const text = `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${body}\n-----BEGIN PGP SIGNATURE-----\n\nwsBcBAEBCAAQ\n-----END PGP SIGNATURE-----\n`;
    writeFileSync(join(dist, 'MANIFEST.txt'), text);
  }

  function hashesOfDist(): Record<string, string> {
    const files = [
      'plugin.json',
      'module.js',
      'module.js.map',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'img/logo.svg',
      ...requiredExecutables(sourcePlugin.executable),
      ...bundledRuntimeFiles(),
    ];
    return Object.fromEntries(files.map((f) => [f, sha256(readFileSync(join(dist, f)))]));
  }

  test('a manifest matching every file is packaged as signed', async () => {
    writeManifest(hashesOfDist());
    const result = await packagePlugin(options());
    expect(result.signed).toBe(true);
    expect(result.entries.map((e) => e.path)).toContain(`${pluginId}/MANIFEST.txt`);
  });

  test('a file changed after signing is named', async () => {
    writeManifest(hashesOfDist());
    writeFileSync(join(dist, 'module.js'), 'rebuilt\n');
    await expect(packagePlugin(options())).rejects.toThrow('module.js changed after signing');
  });

  test('a file added after signing is named', async () => {
    writeManifest(hashesOfDist());
    writeFileSync(join(dist, 'extra.js'), 'new\n');
    await expect(packagePlugin(options())).rejects.toThrow('extra.js is not in MANIFEST.txt');
  });

  test('a manifest that is not clear-signed is refused', async () => {
    writeFileSync(join(dist, 'MANIFEST.txt'), '{"plugin":"x","files":{}}');
    await expect(packagePlugin(options())).rejects.toThrow('not a PGP clear-signed message');
  });
});
