/**
 * Builds the installable plugin zip from dist/: one top folder named after the plugin id (the layout
 * Grafana's installer and `grafana cli --pluginUrl` expect), executables and the bundled glibc
 * loaders with mode 0755, everything else 0644, plus SHA-256 and SHA-1 checksum files. The zip is
 * read back and checked before it is reported as done.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

import {
  BACKEND_TARGETS,
  EXECUTABLE_PREFIX,
  LINUX_LAUNCHERS,
  bundledLoaderPaths,
  bundledRuntimeFiles,
} from './backendTargets';
import { manifestMismatches, parseManifest } from './signatureManifest';
import { ZipInput, ZipListingEntry, listZip, readZipText, writeZip } from './zipArchive';

/** What Grafana looks for next to plugin.json: <executable>_<GOOS>_<GOARCH>[.exe]. */
export const GRAFANA_PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64.exe'];

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

/** Missing files, as messages that say which build step makes them. */
export function missingFiles(files: string[], plugin: PluginJson): string[] {
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
        .filter((f) => !present.has(f))
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

export interface PackageResult {
  zipPath: string;
  checksumPaths: string[];
  sha256: string;
  signed: boolean;
  entries: ZipListingEntry[];
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

  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `${pluginId}-${version}.zip`);
  await writeZip(zipPath, inputs);

  const entries = await listZip(zipPath);
  const problems = await checkPluginZip(zipPath, entries);
  if (problems.length > 0) {
    throw new PackageError(`${zipPath} failed its own check:\n  ${problems.join('\n  ')}`);
  }

  const sha256 = await fileHash(zipPath, 'sha256');
  const sha1 = await fileHash(zipPath, 'sha1');
  const checksumPaths = [`${zipPath}.sha256`, `${zipPath}.sha1`];
  writeFileSync(checksumPaths[0], `${sha256}  ${basename(zipPath)}\n`);
  writeFileSync(checksumPaths[1], `${sha1}  ${basename(zipPath)}\n`);
  return { zipPath, checksumPaths, sha256, signed, entries };
}

/**
 * What Grafana needs from a plugin zip: one top folder named after the id in its plugin.json,
 * every required file there, and every executable with mode 0755. Empty means installable.
 */
export async function checkPluginZip(zipPath: string, entries?: ZipListingEntry[]): Promise<string[]> {
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
  problems.push(...missingFiles(files, plugin).map((m) => `missing ${m}`));
  if (plugin.backend && plugin.executable) {
    for (const entry of listing.filter((e) => !e.isDirectory)) {
      const file = entry.path.slice(top.length + 1);
      if (isExecutable(file, plugin.executable) && entry.mode !== 0o755) {
        problems.push(`${file} has mode ${entry.mode.toString(8)}, expected 755`);
      }
    }
  }
  return problems;
}
