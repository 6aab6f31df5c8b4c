/**
 * Checks the release zips that `npm run package` wrote from the real build (npm run test:all builds,
 * packages, then runs this): the all-platform zip and each per-platform one. Reads the archives
 * back: layout, modes, plugin.json, checksums.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundledLoaderPaths } from './backendTargets';
import { checkPluginZip, requiredExecutables } from './pluginPackage';
import { RELEASE_PLATFORMS, platformOf, shipsIn, zipFileName } from './releasePlatforms';
import { extractZip, listZip, readZipText } from './zipArchive';

const root = join(__dirname, '..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const pluginId: string = JSON.parse(readFileSync(join(root, 'src', 'plugin.json'), 'utf8')).id;
const zipPath = join(root, 'artifacts', `${pluginId}-${version}.zip`);

jest.setTimeout(120_000);

const platformZip = (platform: string) => join(root, 'artifacts', zipFileName(pluginId, version, platform));

beforeAll(() => {
  if (![zipPath, ...RELEASE_PLATFORMS.map(platformZip)].every(existsSync)) {
    throw new Error(
      `${zipPath} does not exist. Build and package first: npm run build && npm run build:backend && npm run package (npm run test:all does this).`
    );
  }
});

test('the release zip passes the installability check (one folder = id, required files, executables 0755)', async () => {
  expect(await checkPluginZip(zipPath)).toEqual([]);
});

test('every executable of the release is present with mode 0755 and named after plugin.json', async () => {
  const listing = await listZip(zipPath);
  const plugin = JSON.parse((await readZipText(zipPath, `${pluginId}/plugin.json`))!);
  expect(plugin.id).toBe(pluginId);
  expect(plugin.info.version).toBe(version);
  const modes = new Map(listing.map((e) => [e.path.slice(pluginId.length + 1), e.mode.toString(8)]));
  for (const executable of [...requiredExecutables(plugin.executable), ...bundledLoaderPaths()]) {
    expect({ executable, mode: modes.get(executable) }).toEqual({ executable, mode: '755' });
  }
  // Grafana launches <executable>_<os>_<arch>; anything else starting with the base name is a helper build.
  expect([...modes.keys()].filter((f) => f.startsWith(`${plugin.executable}_`) && modes.get(f) !== '755')).toEqual([]);
});

/** Every file of dist/, `/`-separated and relative. */
function distFiles(): string[] {
  return readdirSync(join(root, 'dist'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(join(root, 'dist').length + 1)
        .replaceAll('\\', '/')
    )
    .sort();
}

test('the zip holds exactly the files of dist/ (it is not stale)', async () => {
  const zipped = (await listZip(zipPath))
    .filter((e) => !e.isDirectory)
    .map((e) => e.path.slice(pluginId.length + 1))
    .sort();
  expect(zipped).toEqual(distFiles());
});

test.each([zipPath, ...RELEASE_PLATFORMS.map(platformZip)])('the checksum files match %s', (path) => {
  const bytes = readFileSync(path);
  const name = path.slice(path.lastIndexOf('/') + 1);
  expect(readFileSync(`${path}.sha256`, 'utf8')).toBe(`${createHash('sha256').update(bytes).digest('hex')}  ${name}\n`);
  expect(readFileSync(`${path}.sha1`, 'utf8')).toBe(`${createHash('sha1').update(bytes).digest('hex')}  ${name}\n`);
});

test.each(RELEASE_PLATFORMS)(
  "the %s zip holds dist/'s shared files and only that platform's executables, each 0755",
  async (platform) => {
    const path = platformZip(platform);
    expect(await checkPluginZip(path, { platform })).toEqual([]);
    const plugin = JSON.parse((await readZipText(path, `${pluginId}/plugin.json`))!);
    const entries = (await listZip(path)).filter((e) => !e.isDirectory);
    const files = entries.map((e) => e.path.slice(pluginId.length + 1)).sort();
    expect(files).toEqual(distFiles().filter((file) => shipsIn(file, plugin.executable, platform)));
    const executables = [...requiredExecutables(plugin.executable), ...bundledLoaderPaths()]
      .filter((file) => platformOf(file, plugin.executable) === platform)
      .sort();
    expect(executables.length).toBeGreaterThan(0);
    const runnable = entries.filter((e) => e.mode === 0o755).map((e) => e.path.slice(pluginId.length + 1));
    expect({ platform, runnable: runnable.sort() }).toEqual({ platform, runnable: executables });
  }
);

/** Grafana's name for this machine's platform, e.g. linux_amd64. */
function grafanaPlatform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as 'x64' | 'arm64'];
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as 'linux' | 'darwin' | 'win32'];
  return `${os}_${arch}${os === 'windows' ? '.exe' : ''}`;
}

test("this machine's per-platform zip, extracted whole with its modes, starts and prints Grafana's handshake", async () => {
  const dest = mkdtempSync(join(tmpdir(), 'plugin-zip-'));
  try {
    const own = platformZip(grafanaPlatform().replace('.exe', ''));
    const plugin = JSON.parse((await readZipText(own, `${pluginId}/plugin.json`))!);
    const launcher = `${pluginId}/${plugin.executable}_${grafanaPlatform()}`;
    await extractZip(own, dest, () => true);
    const child = spawn(join(dest, launcher), [], {
      env: { ...process.env, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      expect(line.toString().split('\n')[0]).toMatch(/^1\|2\|(tcp|unix)\|[^|]+\|grpc$/);
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});

test.each([undefined, ...RELEASE_PLATFORMS])("README's zip table states the %s zip's size (within 20%)", (platform) => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const name = zipFileName(pluginId, version, platform);
  const rows = readme.split('\n').filter((line) => line.startsWith('| ') && line.includes(`\`${name}\``));
  expect({ name, rows: rows.length }).toEqual({ name, rows: 1 });
  const mb = statSync(platform ? platformZip(platform) : zipPath).size / 1e6;
  const stated = Number(/([\d.]+) MB *\|$/.exec(rows[0])?.[1]); // prettier pads table cells
  expect({ name, ratio: Math.abs(stated / mb - 1) < 0.2 }).toEqual({ name, ratio: true });
});
