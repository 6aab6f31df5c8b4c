/**
 * The executables Grafana looks for: gpx_<id>_<GOOS>_<GOARCH>[.exe]. Linux gets a glibc and a
 * musl build plus a POSIX sh launcher under the plain name that execs the right one, because
 * the default grafana/grafana image is Alpine (musl) and the -ubuntu images are glibc.
 * x64 Linux/Windows use Bun's "baseline" builds so hosts without AVX2 still run them.
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
  file: string;
  glibc: string;
  musl: string;
}

const name = (os: string, arch: string, suffix = '') => `${EXECUTABLE_PREFIX}_${os}_${arch}${suffix}`;

export const BACKEND_TARGETS: BackendTarget[] = [
  { file: name('linux', 'amd64', '_glibc'), bunTarget: 'bun-linux-x64-baseline', runtimePackage: '@oven/bun-linux-x64-baseline' },
  { file: name('linux', 'amd64', '_musl'), bunTarget: 'bun-linux-x64-musl-baseline', runtimePackage: '@oven/bun-linux-x64-musl-baseline' },
  { file: name('linux', 'arm64', '_glibc'), bunTarget: 'bun-linux-arm64', runtimePackage: '@oven/bun-linux-aarch64' },
  { file: name('linux', 'arm64', '_musl'), bunTarget: 'bun-linux-arm64-musl', runtimePackage: '@oven/bun-linux-aarch64-musl' },
  { file: name('darwin', 'amd64'), bunTarget: 'bun-darwin-x64', runtimePackage: '@oven/bun-darwin-x64' },
  { file: name('darwin', 'arm64'), bunTarget: 'bun-darwin-arm64', runtimePackage: '@oven/bun-darwin-aarch64' },
  { file: name('windows', 'amd64', '.exe'), bunTarget: 'bun-windows-x64-baseline', runtimePackage: '@oven/bun-windows-x64-baseline' },
];

export const LINUX_LAUNCHERS: LinuxLauncher[] = (['amd64', 'arm64'] as const).map((arch) => ({
  arch,
  file: name('linux', arch),
  glibc: name('linux', arch, '_glibc'),
  musl: name('linux', arch, '_musl'),
}));

const GLIBC_LOADER: Record<string, string> = {
  amd64: '/lib64/ld-linux-x86-64.so.2',
  arm64: '/lib/ld-linux-aarch64.so.1',
};

/**
 * A POSIX sh launcher (`exec` keeps the pid Grafana watches). Without a musl loader the system
 * is glibc: run the glibc build straight away. On musl systems the musl build needs Alpine's
 * libstdc++/libgcc; without them a glibc loader (Grafana's Alpine amd64 image ships
 * glibc-compat) runs the glibc build; failing both, it says what to install.
 */
export function launcherScript(launcher: LinuxLauncher): string {
  const glibcLoader = GLIBC_LOADER[launcher.arch];
  return `#!/bin/sh
# Grafana launches this file; it runs the build matching this system's C library.
dir=$(dirname "$0")
musl_loader=no
for loader in /lib/ld-musl-*.so.1; do
  [ -e "$loader" ] && musl_loader=yes
done
if [ "$musl_loader" = no ]; then
  exec "$dir/${launcher.glibc}" "$@"
fi
for lib in /usr/lib/libstdc++.so.6 /lib/libstdc++.so.6 /usr/local/lib/libstdc++.so.6; do
  [ -e "$lib" ] && exec "$dir/${launcher.musl}" "$@"
done
if [ -e ${glibcLoader} ]; then
  exec "$dir/${launcher.glibc}" "$@"
fi
echo "CloudTrail Insights backend: this musl (Alpine) system lacks libstdc++; install it: apk add libstdc++" >&2
exec "$dir/${launcher.musl}" "$@"
`;
}
