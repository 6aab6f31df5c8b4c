/**
 * Which platform each file of dist/ belongs to, for the per-platform release zips
 * (`<id>-<version>.<os>_<arch>.zip`, named as Grafana's own plugins are): a platform's zip holds
 * that platform's executables (on Linux also the launcher's glibc build and runtime) and every
 * file no platform owns (plugin.json, module.js, img/, docs).
 */
import { LINUX_LAUNCHERS } from './backendTargets';

/** Grafana's <GOOS>_<GOARCH> pairs, in the order the zips are written. */
export const RELEASE_PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];

/** The platform owning a dist/ file (`/`-separated path), or undefined for files every platform ships. */
export function platformOf(path: string, executable: string): string | undefined {
  if (!path.includes('/') && path.startsWith(`${executable}_`)) {
    const rest = path.slice(executable.length + 1);
    // linux_amd64 (launcher), linux_amd64_glibc (its build), windows_amd64.exe.
    return RELEASE_PLATFORMS.find((p) => rest === p || rest.startsWith(`${p}_`) || rest.startsWith(`${p}.`));
  }
  const launcher = LINUX_LAUNCHERS.find((l) => path.startsWith(`${l.runtimeDir}/`));
  return launcher ? `linux_${launcher.arch}` : undefined;
}

/** Whether a file belongs in `platform`'s zip (undefined: the all-platform zip, which takes everything). */
export function shipsIn(path: string, executable: string, platform: string | undefined): boolean {
  const owner = platformOf(path, executable);
  return platform === undefined || owner === undefined || owner === platform;
}

/** The zip's file name for a platform, or the all-platform zip's. */
export function zipFileName(pluginId: string, version: string, platform?: string): string {
  return platform ? `${pluginId}-${version}.${platform}.zip` : `${pluginId}-${version}.zip`;
}
