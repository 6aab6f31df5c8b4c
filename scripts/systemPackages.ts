/**
 * The Debian packages of scripts/system-packages.txt (the one list ensure-deps.sh installs) and the
 * check a test makes before it uses a file one of them provides: a missing file then names its
 * package and the command that installs it, instead of failing later with a loader error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const LIST = join(__dirname, 'system-packages.txt');

/** Package names in scripts/system-packages.txt, in order. */
export function systemPackages(text = readFileSync(LIST, 'utf8')): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

function missing(what: string, pkg: string): Error {
  return new Error(
    `${what} is missing: it comes from Debian's ${pkg} package (scripts/system-packages.txt). ` +
      `Install the listed packages with \`sudo sh scripts/ensure-deps.sh --system\` (or apt-get install -y ${pkg}).`
  );
}

function checkListed(pkg: string): void {
  if (!systemPackages().includes(pkg)) {
    throw new Error(`${pkg} is not in scripts/system-packages.txt: add it there so CI installs it`);
  }
}

/** `path` when it exists; otherwise an error naming Debian's `pkg`, which provides it. */
export function systemFile(path: string, pkg: string): string {
  checkListed(pkg);
  if (!existsSync(path)) {
    throw missing(path, pkg);
  }
  return path;
}

/** Full path of `command` found on PATH; otherwise an error naming Debian's `pkg`, which provides it. */
export function systemCommand(command: string, pkg: string, path = process.env.PATH ?? ''): string {
  checkListed(pkg);
  const found = path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .find((candidate) => existsSync(candidate));
  if (!found) {
    throw missing(`the command ${command}`, pkg);
  }
  return found;
}
