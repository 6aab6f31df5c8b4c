/**
 * Checks the release zip that `npm run package` wrote from the real build (npm run test:all builds,
 * packages, then runs this). Reads the archive back: layout, modes, plugin.json, checksums.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { checkPluginZip, requiredExecutables } from './pluginPackage';
import { listZip, readZipText } from './zipArchive';

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
  for (const executable of requiredExecutables(plugin.executable)) {
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
