/**
 * Checks the release zip that `npm run package` wrote from the real build (npm run test:all builds,
 * packages, then runs this). Reads the archive back: layout, modes, plugin.json, checksums.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundledLoaderPaths } from './backendTargets';
import { checkPluginZip, requiredExecutables } from './pluginPackage';
import { extractZip, listZip, readZipText } from './zipArchive';

const root = join(__dirname, '..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const pluginId: string = JSON.parse(readFileSync(join(root, 'src', 'plugin.json'), 'utf8')).id;
const zipPath = join(root, 'artifacts', `${pluginId}-${version}.zip`);

jest.setTimeout(120_000);

beforeAll(() => {
  if (!existsSync(zipPath)) {
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

test('the zip holds exactly the files of dist/ (it is not stale)', async () => {
  const distFiles = readdirSync(join(root, 'dist'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(join(root, 'dist').length + 1)
        .replaceAll('\\', '/')
    )
    .sort();
  const zipped = (await listZip(zipPath))
    .filter((e) => !e.isDirectory)
    .map((e) => e.path.slice(pluginId.length + 1))
    .sort();
  expect(zipped).toEqual(distFiles);
});

test('the checksum files match the zip', () => {
  const bytes = readFileSync(zipPath);
  const name = `${pluginId}-${version}.zip`;
  expect(readFileSync(`${zipPath}.sha256`, 'utf8')).toBe(
    `${createHash('sha256').update(bytes).digest('hex')}  ${name}\n`
  );
  expect(readFileSync(`${zipPath}.sha1`, 'utf8')).toBe(`${createHash('sha1').update(bytes).digest('hex')}  ${name}\n`);
});

/** Grafana's name for this machine's platform, e.g. linux_amd64. */
function grafanaPlatform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as 'x64' | 'arm64'];
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as 'linux' | 'darwin' | 'win32'];
  return `${os}_${arch}${os === 'windows' ? '.exe' : ''}`;
}

test("this machine's executable, extracted from the zip with its modes, starts and prints Grafana's handshake", async () => {
  const dest = mkdtempSync(join(tmpdir(), 'plugin-zip-'));
  try {
    const plugin = JSON.parse((await readZipText(zipPath, `${pluginId}/plugin.json`))!);
    const launcher = `${pluginId}/${plugin.executable}_${grafanaPlatform()}`;
    // The launcher, the builds it may exec and the bundled runtime: everything named for this platform.
    const platform = grafanaPlatform().replace('.exe', '');
    await extractZip(zipPath, dest, (path) => path.includes(platform));
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
