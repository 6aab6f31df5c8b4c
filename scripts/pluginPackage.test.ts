import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundledLoaderPaths, bundledRuntimeFiles } from './backendTargets';
import { PackageError, checkPluginZip, packagePlugin, requiredExecutables } from './pluginPackage';
import { RELEASE_PLATFORMS } from './releasePlatforms';
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

describe('per-platform zips', () => {
  const exe = () => sourcePlugin.executable as string;
  /** Each platform's own files in dist/ besides the shared ones. */
  const expectedOwn: Record<string, string[]> = {
    linux_amd64: ['_linux_amd64', '_linux_amd64_glibc'],
    linux_arm64: ['_linux_arm64', '_linux_arm64_glibc'],
    darwin_amd64: ['_darwin_amd64'],
    darwin_arm64: ['_darwin_arm64'],
    windows_amd64: ['_windows_amd64.exe'],
  };

  test('one <id>-<version>.<os>_<arch>.zip per platform: only its executables (0755), its glibc runtime, the frontend', async () => {
    const result = await packagePlugin(options());
    expect(result.platformZips.map((z) => z.zipPath)).toEqual(
      RELEASE_PLATFORMS.map((p) => join(out, `${pluginId}-${version}.${p}.zip`))
    );
    for (const zip of result.platformZips) {
      const platform = zip.platform!;
      const files = (await listZip(zip.zipPath)).filter((e) => !e.isDirectory);
      const relative = (e: { path: string }) => e.path.slice(pluginId.length + 1);
      const executables = files.filter((e) => relative(e).startsWith(`${exe()}_`));
      expect({ platform, executables: executables.map(relative).sort() }).toEqual({
        platform,
        executables: expectedOwn[platform].map((suffix) => `${exe()}${suffix}`).sort(),
      });
      expect(executables.map((e) => e.mode.toString(8))).toEqual(executables.map(() => '755'));
      const runtime = files
        .map(relative)
        .filter((f) => f.startsWith('glibc_'))
        .sort();
      expect({ platform, runtime }).toEqual({
        platform,
        runtime: platform.startsWith('linux_')
          ? bundledRuntimeFiles()
              .filter((f) => f.startsWith(`glibc_${platform}/`))
              .sort()
          : [],
      });
      expect(files.map(relative)).toEqual(
        expect.arrayContaining(['plugin.json', 'module.js', 'README.md', 'LICENSE', 'img/logo.svg'])
      );
      const name = `${pluginId}-${version}.${platform}.zip`;
      const bytes = readFileSync(zip.zipPath);
      expect(readFileSync(`${zip.zipPath}.sha256`, 'utf8')).toBe(`${sha256(bytes)}  ${name}\n`);
      expect(readFileSync(`${zip.zipPath}.sha1`, 'utf8')).toBe(
        `${createHash('sha1').update(bytes).digest('hex')}  ${name}\n`
      );
      expect(zip.bytes).toBe(bytes.length);
    }
  });

  test("a platform's zip check rejects another platform's executable and a missing own one", async () => {
    const result = await packagePlugin(options());
    const all = await listZip(result.zipPath);
    const extracted = join(work, 'files');
    mkdirSync(extracted);
    const inputs = [];
    for (const entry of all.filter((e) => !e.isDirectory)) {
      const rel = entry.path.slice(pluginId.length + 1);
      const keep = !rel.startsWith(`${exe()}_`) && !rel.startsWith('glibc_') ? true : rel === `${exe()}_darwin_arm64`;
      if (keep) {
        const source = join(extracted, entry.path.replaceAll('/', '_'));
        writeFileSync(source, (await readZipText(result.zipPath, entry.path)) ?? '');
        inputs.push({ archivePath: entry.path, sourcePath: source, mode: entry.mode });
      }
    }
    const mixed = join(work, 'mixed.zip');
    await writeZip(mixed, inputs);
    expect(await checkPluginZip(mixed, { platform: 'darwin_arm64' })).toEqual([]);
    expect(await checkPluginZip(mixed, { platform: 'windows_amd64' })).toEqual([
      `missing ${exe()}_windows_amd64.exe (npm run build:backend)`,
      `${exe()}_darwin_arm64 is for darwin_arm64, not windows_amd64`,
    ]);
  });
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
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${pluginId}-${version}.linux_amd64.zip`), 'stale, from an unsigned run');
    const result = await packagePlugin(options());
    expect(result.signed).toBe(true);
    // Grafana checks every file the manifest lists: a one-platform zip of a signed dist/ would fail.
    expect(result.platformZips).toEqual([]);
    expect(result.platformZipsSkipped).toMatch(/per-platform zips need their own signature/);
    expect(existsSync(join(out, `${pluginId}-${version}.linux_amd64.zip`))).toBe(false);
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
