/**
 * `npm run build:backend` — compiles backend/main.ts (or --entry) with `bun build --compile`
 * into self-contained executables in dist/ (or --outdir), one per Grafana platform, plus the
 * Linux sh launchers. Cross-compiling is offline after the first run: each target's Bun
 * runtime is fetched once with `npm pack` into .cache/bun-targets (git-ignored).
 * `--only linux` (substring match on file names) limits the targets for quick local builds.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BACKEND_TARGETS, LINUX_LAUNCHERS, launcherScript, type BackendTarget } from './backendTargets';

const root = resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (flag: string, fallback: string) => {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : fallback;
};
const entry = resolve(root, option('--entry', 'backend/main.ts'));
const outdir = resolve(root, option('--outdir', 'dist'));
const only = option('--only', '');
const cacheDir = join(root, '.cache', 'bun-targets');
const bunBin = join(root, 'node_modules', '.bin', 'bun');
const bunVersion: string = JSON.parse(readFileSync(join(root, 'node_modules', 'bun', 'package.json'), 'utf8')).version;

/** Path of the target's bun runtime, downloading its npm package into the cache if needed. */
function runtimeFor(target: BackendTarget): string {
  const dir = join(cacheDir, `${target.runtimePackage.replace('/', '+')}@${bunVersion}`);
  const binary = join(dir, 'package', 'bin', target.bunTarget.includes('windows') ? 'bun.exe' : 'bun');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(root, '.cache', '.gitignore'), '*\n');
    const tarball = execFileSync('npm', ['pack', `${target.runtimePackage}@${bunVersion}`, '--silent', '--pack-destination', dir], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir]);
  }
  return binary;
}

function compile(target: BackendTarget): void {
  const outfile = join(outdir, target.file);
  execFileSync(
    bunBin,
    [
      'build',
      '--compile',
      '--minify',
      // Precompiled bytecode roughly halves startup (measured 139 -> 72 ms to the handshake) for ~7 MB.
      '--bytecode',
      `--target=${target.bunTarget}`,
      `--compile-executable-path=${runtimeFor(target)}`,
      entry,
      '--outfile',
      outfile,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }
  );
  chmodSync(outfile, 0o755);
}

mkdirSync(outdir, { recursive: true });
const targets = BACKEND_TARGETS.filter((target) => target.file.includes(only));
for (const target of targets) {
  const started = Date.now();
  compile(target);
  const mb = (statSync(join(outdir, target.file)).size / 1e6).toFixed(1);
  console.log(`built ${target.file} (${mb} MB, ${Date.now() - started} ms)`);
}
for (const launcher of LINUX_LAUNCHERS) {
  if (existsSync(join(outdir, launcher.glibc)) || existsSync(join(outdir, launcher.musl))) {
    const file = join(outdir, launcher.file);
    writeFileSync(file, launcherScript(launcher));
    chmodSync(file, 0o755);
    console.log(`wrote launcher ${launcher.file}`);
  }
}
