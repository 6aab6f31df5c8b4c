/**
 * A minimal musl-only root filesystem for smoke tests (what the Alpine-based grafana/grafana
 * image looks like to our launcher): busybox sh, the musl loader (also answering as `ldd`),
 * /etc/resolv.conf — and no glibc anywhere. The plugin directory is bind-mounted read-only at
 * /plugin; /proc and /dev come from the host. Built from Debian's busybox-static and musl
 * packages (`apt-get download`), cached in .cache/musl-root. Needs root (chroot, mount).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractDebianPackage } from './debianPackage';

const root = resolve(__dirname, '..');
const cache = join(root, '.cache', 'musl-root');

function extractDeb(pkg: string): string {
  return extractDebianPackage(pkg, join(cache, 'debs', pkg));
}

export interface MuslRoot {
  /** The root's directory on the host (where the plugin's /tmp socket is reachable). */
  path: string;
  /** Command that runs `/plugin/<file>` inside the musl root. */
  command(file: string): string[];
  cleanup(): void;
}

function unmount(paths: string[]): void {
  for (const path of paths) {
    try {
      execFileSync('umount', ['-l', path], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
  }
}

export function prepareMuslRoot(pluginDir: string): MuslRoot {
  const fs = join(cache, 'rootfs');
  const mounts = [join(fs, 'proc'), join(fs, 'dev'), join(fs, 'plugin')];
  // A run that died before its cleanup leaves these mounted; never delete through them.
  unmount(mounts);
  rmSync(fs, { recursive: true, force: true });
  for (const dir of ['bin', 'usr/bin', 'lib', 'etc', 'tmp', 'proc', 'dev', 'plugin']) {
    mkdirSync(join(fs, dir), { recursive: true });
  }
  copyFileSync(join(extractDeb('busybox-static'), 'bin', 'busybox'), join(fs, 'bin', 'busybox'));
  for (const applet of ['sh', 'dirname', 'grep', 'ls', 'cat']) {
    symlinkSync('busybox', join(fs, 'bin', applet));
  }
  const musl = extractDeb('musl');
  copyFileSync(join(musl, 'lib', 'x86_64-linux-musl', 'libc.so'), join(fs, 'lib', 'ld-musl-x86_64.so.1'));
  // Alpine's ldd is the musl loader under another name; `ldd --version` then names musl.
  symlinkSync('/lib/ld-musl-x86_64.so.1', join(fs, 'usr', 'bin', 'ldd'));
  copyFileSync('/etc/resolv.conf', join(fs, 'etc', 'resolv.conf'));
  for (const glibcPath of ['lib64', 'lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu']) {
    if (existsSync(join(fs, glibcPath))) {
      throw new Error(`musl root unexpectedly contains ${glibcPath}`);
    }
  }
  execFileSync('mount', ['-t', 'proc', 'proc', mounts[0]]);
  execFileSync('mount', ['--bind', '/dev', mounts[1]]);
  execFileSync('mount', ['--bind', '-o', 'ro', resolve(pluginDir), mounts[2]]);
  return {
    path: fs,
    command: (file) => ['/usr/sbin/chroot', fs, `/plugin/${file}`],
    cleanup: () => unmount([...mounts].reverse()),
  };
}
