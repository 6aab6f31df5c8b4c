/**
 * Builds the installable plugin zips from dist/: the all-platform zip and one per platform
 * (releasePlatforms.ts), each with one top folder named after the plugin id (the layout Grafana's
 * installer and `grafana cli --pluginUrl` expect), executables and the bundled glibc loaders with
 * mode 0755, everything else 0644, plus SHA-256 and SHA-1 checksum files. Each zip is read back
 * and checked before it is reported as done.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

import {
  BACKEND_TARGETS,
  EXECUTABLE_PREFIX,
  LINUX_LAUNCHERS,
  bundledLoaderPaths,
  bundledRuntimeFiles,
} from './backendTargets';
import { RELEASE_PLATFORMS, platformOf, shipsIn, zipFileName } from './releasePlatforms';
import { manifestMismatches, parseManifest } from './signatureManifest';
import { ZipInput, ZipListingEntry, listZip, readZipText, writeZip } from './zipArchive';

/** What Grafana looks for next to plugin.json: <executable>_<GOOS>_<GOARCH>[.exe]. */
export const GRAFANA_PLATFORMS = RELEASE_PLATFORMS.map((p) => (p.startsWith('windows_') ? `${p}.exe` : p));

/** Files every release carries besides the executables. */
export const REQUIRED_FILES = ['plugin.json', 'module.js', 'README.md', 'CHANGELOG.md', 'LICENSE'];

export const MANIFEST_FILE = 'MANIFEST.txt';

export interface PluginJson {
  id: string;
  type: string;
  backend?: boolean;
  executable?: string;
  info: { version: string; logos?: { small?: string; large?: string } };
}

export class PackageError extends Error {}

/** Every executable name the release must contain: Grafana's names plus the builds the launchers run. */
export function requiredExecutables(executable: string): string[] {
  const grafanaNames = GRAFANA_PLATFORMS.map((platform) => `${executable}_${platform}`);
  const builds = [...BACKEND_TARGETS.map((t) => t.file), ...LINUX_LAUNCHERS.map((l) => l.file)];
  return [...new Set([...grafanaNames, ...builds])].sort();
}

/**
 * Files that must be runnable: the executables (top-level names starting with the plugin's
 * executable base name) and the glibc loaders the Linux launchers exec on musl systems.
 */
export function isExecutable(path: string, executable: string): boolean {
  return (!path.includes('/') && path.startsWith(`${executable}_`)) || bundledLoaderPaths().includes(path);
}

/** Relative `/`-separated paths of every file under a folder. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function fileHash(path: string, algorithm: 'sha256' | 'sha1'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/** Reads and checks dist/plugin.json; every problem becomes one PackageError naming the fix. */
export function readDistPluginJson(distDir: string, expectedId: string, expectedVersion: string): PluginJson {
  const path = join(distDir, 'plugin.json');
  if (!existsSync(path)) {
    throw new PackageError(`${path} is missing: run npm run build first.`);
  }
  const plugin = JSON.parse(readFileSync(path, 'utf8')) as PluginJson;
  if (plugin.id !== expectedId) {
    throw new PackageError(`dist/plugin.json has id "${plugin.id}", expected "${expectedId}".`);
  }
  if (plugin.info?.version !== expectedVersion) {
    throw new PackageError(
      `dist/plugin.json has version "${plugin.info?.version}", package.json says "${expectedVersion}": run npm run build again.`
    );
  }
  if (plugin.backend && plugin.executable !== EXECUTABLE_PREFIX) {
    throw new PackageError(
      `dist/plugin.json names the executable "${plugin.executable}" but npm run build:backend writes ${EXECUTABLE_PREFIX}_*.`
    );
  }
  return plugin;
}

/** Missing files (of one platform's zip when `platform` is given), as messages that say which build step makes them. */
export function missingFiles(files: string[], plugin: PluginJson, platform?: string): string[] {
  const present = new Set(files);
  const problems = REQUIRED_FILES.filter((f) => !present.has(f)).map((f) => `${f} (npm run build)`);
  for (const logo of new Set([plugin.info.logos?.small, plugin.info.logos?.large].filter(Boolean) as string[])) {
    if (!present.has(logo)) {
      problems.push(`${logo} (npm run build)`);
    }
  }
  if (plugin.backend) {
    problems.push(
      ...[...requiredExecutables(plugin.executable!), ...bundledRuntimeFiles()]
        .filter((f) => shipsIn(f, plugin.executable!, platform) && !present.has(f))
        .map((f) => `${f} (npm run build:backend)`)
    );
  }
  return problems;
}

export interface PackageOptions {
  distDir: string;
  outDir: string;
  pluginId: string;
  version: string;
}

export interface ZipResult {
  zipPath: string;
  checksumPaths: string[];
  sha256: string;
  bytes: number;
  entries: ZipListingEntry[];
  /** Undefined for the all-platform zip. */
  platform?: string;
}

export interface PackageResult extends ZipResult {
  signed: boolean;
  /** One per RELEASE_PLATFORMS entry; empty when dist/ is signed (see platformZipsSkipped). */
  platformZips: ZipResult[];
  platformZipsSkipped?: string;
}

/** Zips those files of dist/ under one `<id>/` folder, checks the zip, writes its checksum files. */
async function writeCheckedZip(
  options: PackageOptions,
  plugin: PluginJson,
  files: string[],
  platform?: string
): Promise<ZipResult> {
  const { distDir, outDir, pluginId, version } = options;
  const directories = [
    ...new Set(
      files.flatMap((f) =>
        f
          .split('/')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('/'))
      )
    ),
  ];
  const inputs: ZipInput[] = [
    { archivePath: `${pluginId}/`, mode: 0o755 },
    ...directories.sort().map((dir) => ({ archivePath: `${pluginId}/${dir}/`, mode: 0o755 })),
    ...files.map((file) => ({
      archivePath: `${pluginId}/${file}`,
      sourcePath: join(distDir, file),
      mode: plugin.executable && isExecutable(file, plugin.executable) ? 0o755 : 0o644,
    })),
  ];

  const zipPath = join(outDir, zipFileName(pluginId, version, platform));
  await writeZip(zipPath, inputs);

  const entries = await listZip(zipPath);
  const problems = await checkPluginZip(zipPath, { entries, platform });
  if (problems.length > 0) {
    throw new PackageError(`${zipPath} failed its own check:\n  ${problems.join('\n  ')}`);
  }

  const sha256 = await fileHash(zipPath, 'sha256');
  const sha1 = await fileHash(zipPath, 'sha1');
  const checksumPaths = [`${zipPath}.sha256`, `${zipPath}.sha1`];
  writeFileSync(checksumPaths[0], `${sha256}  ${basename(zipPath)}\n`);
  writeFileSync(checksumPaths[1], `${sha1}  ${basename(zipPath)}\n`);
  return { zipPath, checksumPaths, sha256, bytes: statSync(zipPath).size, entries, platform };
}

export async function packagePlugin(options: PackageOptions): Promise<PackageResult> {
  const { distDir, outDir, pluginId, version } = options;
  const plugin = readDistPluginJson(distDir, pluginId, version);
  const files = filesUnder(distDir);
  const missing = missingFiles(files, plugin);
  if (missing.length > 0) {
    throw new PackageError(`dist/ is incomplete; missing:\n  ${missing.join('\n  ')}`);
  }

  const signed = files.includes(MANIFEST_FILE);
  if (signed) {
    const parsed = parseManifest(readFileSync(join(distDir, MANIFEST_FILE), 'utf8'));
    if (!parsed.ok) {
      throw new PackageError(parsed.error);
    }
    const hashes: Record<string, string> = {};
    for (const file of files.filter((f) => f !== MANIFEST_FILE)) {
      hashes[file] = await fileHash(join(distDir, file), 'sha256');
    }
    const problems = manifestMismatches(parsed.manifest, hashes);
    if (parsed.manifest.plugin !== pluginId || parsed.manifest.version !== version) {
      problems.unshift(
        `MANIFEST.txt signs ${parsed.manifest.plugin} ${parsed.manifest.version}, not ${pluginId} ${version}`
      );
    }
    if (problems.length > 0) {
      throw new PackageError(
        `dist/MANIFEST.txt does not match dist/ (sign again after building):\n  ${problems.join('\n  ')}`
      );
    }
  }

  mkdirSync(outDir, { recursive: true });
  const all = await writeCheckedZip(options, plugin, files);
  if (signed) {
    for (const platform of RELEASE_PLATFORMS) {
      const stale = join(outDir, zipFileName(pluginId, version, platform));
      [stale, `${stale}.sha256`, `${stale}.sha1`].forEach((path) => rmSync(path, { force: true }));
    }
    // Grafana checks every file MANIFEST.txt lists, so a zip without the other platforms' files
    // would fail as "modified"; each platform's zip would need a signature of its own.
    return {
      ...all,
      signed,
      platformZips: [],
      platformZipsSkipped:
        'dist/ is signed for all platforms together: per-platform zips need their own signature, so none were written',
    };
  }
  const platformZips: ZipResult[] = [];
  for (const platform of RELEASE_PLATFORMS) {
    const own = files.filter((file) => shipsIn(file, plugin.executable ?? '', platform));
    platformZips.push(await writeCheckedZip(options, plugin, own, platform));
  }
  return { ...all, signed, platformZips };
}

/**
 * What Grafana needs from a plugin zip: one top folder named after the id in its plugin.json,
 * every required file there (of `platform` only, for a per-platform zip, which must hold no other
 * platform's files), and every executable with mode 0755. Empty means installable.
 */
export async function checkPluginZip(
  zipPath: string,
  { entries, platform }: { entries?: ZipListingEntry[]; platform?: string } = {}
): Promise<string[]> {
  const listing = entries ?? (await listZip(zipPath));
  const tops = [...new Set(listing.map((e) => e.path.split('/')[0]))];
  if (tops.length !== 1) {
    return [`expected one top folder, found: ${tops.join(', ')}`];
  }
  const top = tops[0];
  const text = await readZipText(zipPath, `${top}/plugin.json`);
  if (text === undefined) {
    return [`${top}/plugin.json is missing`];
  }
  const plugin = JSON.parse(text) as PluginJson;
  const problems: string[] = [];
  if (plugin.id !== top) {
    problems.push(`top folder "${top}" differs from plugin.json id "${plugin.id}"`);
  }
  const files = listing.filter((e) => !e.isDirectory).map((e) => e.path.slice(top.length + 1));
  problems.push(...missingFiles(files, plugin, platform).map((m) => `missing ${m}`));
  if (plugin.backend && plugin.executable) {
    const foreign = files.filter((file) => !shipsIn(file, plugin.executable!, platform));
    problems.push(...foreign.map((file) => `${file} is for ${platformOf(file, plugin.executable!)}, not ${platform}`));
    for (const entry of listing.filter((e) => !e.isDirectory)) {
      const file = entry.path.slice(top.length + 1);
      if (isExecutable(file, plugin.executable) && entry.mode !== 0o755) {
        problems.push(`${file} has mode ${entry.mode.toString(8)}, expected 755`);
      }
    }
  }
  return problems;
}
