/**
 * The executables Grafana looks for: gpx_<id>_<GOOS>_<GOARCH>[.exe].
 *
 * Linux: Bun's glibc build plus, beside it, the few glibc files it links against (from Debian's
 * libc6-<arch>-cross package) and a POSIX sh launcher under the plain name. glibc systems run
 * the build directly; musl systems — the default grafana/grafana image is Alpine — run it
 * through the bundled glibc loader. (Bun's musl builds would need Alpine's libstdc++, which
 * the Grafana image does not have.) x64 Linux/Windows use Bun's "baseline" builds so hosts
 * without AVX2 still run them.
 */

export const EXECUTABLE_PREFIX = 'gpx_cloudtrail_insights';

export interface BackendTarget {
  /** Output file name in dist/. */
  file: string;
  /** `bun build --target`. */
  bunTarget: string;
  /** npm package holding the runtime for that target (same version as the installed bun). */
  runtimePackage: string;
}

export interface LinuxLauncher {
  arch: 'amd64' | 'arm64';
  /** The launcher's file name (what Grafana executes). */
  file: string;
  /** The Bun glibc build it runs. */
  executable: string;
  /** Directory (in dist/) holding the bundled glibc runtime. */
  runtimeDir: string;
  /** Debian package with that runtime, and where its libraries sit inside the package. */
  runtimeDeb: string;
  runtimeDebLibDir: string;
  loader: string;
}

const name = (os: string, arch: string, suffix = '') => `${EXECUTABLE_PREFIX}_${os}_${arch}${suffix}`;

export const BACKEND_TARGETS: BackendTarget[] = [
  {
    file: name('linux', 'amd64', '_glibc'),
    bunTarget: 'bun-linux-x64-baseline',
    runtimePackage: '@oven/bun-linux-x64-baseline',
  },
  { file: name('linux', 'arm64', '_glibc'), bunTarget: 'bun-linux-arm64', runtimePackage: '@oven/bun-linux-aarch64' },
  { file: name('darwin', 'amd64'), bunTarget: 'bun-darwin-x64', runtimePackage: '@oven/bun-darwin-x64' },
  { file: name('darwin', 'arm64'), bunTarget: 'bun-darwin-arm64', runtimePackage: '@oven/bun-darwin-aarch64' },
  {
    file: name('windows', 'amd64', '.exe'),
    bunTarget: 'bun-windows-x64-baseline',
    runtimePackage: '@oven/bun-windows-x64-baseline',
  },
];

export const LINUX_LAUNCHERS: LinuxLauncher[] = [
  {
    arch: 'amd64',
    file: name('linux', 'amd64'),
    executable: name('linux', 'amd64', '_glibc'),
    runtimeDir: 'glibc_linux_amd64',
    runtimeDeb: 'libc6-amd64-cross',
    runtimeDebLibDir: 'usr/x86_64-linux-gnu/lib',
    loader: 'ld-linux-x86-64.so.2',
  },
  {
    arch: 'arm64',
    file: name('linux', 'arm64'),
    executable: name('linux', 'arm64', '_glibc'),
    runtimeDir: 'glibc_linux_arm64',
    runtimeDeb: 'libc6-arm64-cross',
    runtimeDebLibDir: 'usr/aarch64-linux-gnu/lib',
    loader: 'ld-linux-aarch64.so.1',
  },
];

/** What Bun's glibc build links against (readelf -d: NEEDED), plus the loader itself. */
export const GLIBC_RUNTIME_FILES = ['libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libdl.so.2'];

/** Files below dist/ that must keep mode 0755 besides the gpx_* executables: the bundled loaders. */
export function bundledLoaderPaths(): string[] {
  return LINUX_LAUNCHERS.map((launcher) => `${launcher.runtimeDir}/${launcher.loader}`);
}

/** Every file of the bundled glibc runtimes, relative to dist/ (all must ship in the zip). */
export function bundledRuntimeFiles(): string[] {
  return LINUX_LAUNCHERS.flatMap((launcher) =>
    [launcher.loader, ...GLIBC_RUNTIME_FILES, 'COPYRIGHT.glibc'].map((file) => `${launcher.runtimeDir}/${file}`)
  );
}

/**
 * A POSIX sh launcher; `exec` keeps the pid Grafana watches. Without a musl loader the system
 * is glibc (fast path). With one, `ldd --version` tells musl (Alpine) from a glibc distro that
 * merely has the musl package (Grafana's Ubuntu image); a missing ldd means musl too.
 */
export function launcherScript(launcher: LinuxLauncher): string {
  return `#!/bin/sh
# Grafana launches this file. glibc systems run the executable directly; musl systems (Alpine,
# the default grafana/grafana image) run it through the glibc runtime bundled beside it.
dir=$(dirname "$0")
exe="$dir/${launcher.executable}"
runtime="$dir/${launcher.runtimeDir}"
musl=no
for loader in /lib/ld-musl-*.so.1; do
  [ -e "$loader" ] && musl=maybe
done
if [ "$musl" = maybe ]; then
  if ! command -v ldd >/dev/null 2>&1 || ldd --version 2>&1 | grep -qi musl; then
    musl=yes
  fi
fi
if [ "$musl" = yes ]; then
  if [ ! -x "$runtime/${launcher.loader}" ]; then
    echo "CloudTrail Insights backend: $runtime/${launcher.loader} must be executable (mode 0755); reinstall the plugin" >&2
    exit 1
  fi
  exec "$runtime/${launcher.loader}" --library-path "$runtime" --argv0 "$exe" "$exe" "$@"
fi
exec "$exe" "$@"
`;
}
