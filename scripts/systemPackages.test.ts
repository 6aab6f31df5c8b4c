import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { systemCommand, systemFile, systemPackages } from './systemPackages';

const root = join(__dirname, '..');

test('the one package list holds what the smoke and Redis tests need', () => {
  expect(systemPackages()).toEqual(expect.arrayContaining(['libc6-arm64-cross', 'qemu-user-static', 'redis-server']));
});

test('comments and blank lines are not packages', () => {
  expect(systemPackages('# header\n\nchromium   # browser test\n  musl\n')).toEqual(['chromium', 'musl']);
});

test('CI and ensure-deps.sh install from that list and keep no copy of their own', () => {
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
  const ensure = readFileSync(join(root, 'scripts', 'ensure-deps.sh'), 'utf8');
  expect(ci).toContain('sh scripts/ensure-deps.sh --system');
  expect(ci).toContain('npm run test:all');
  expect(ensure).toContain('scripts/system-packages.txt');
  for (const pkg of systemPackages()) {
    expect({ pkg, inCi: new RegExp(`\\b${pkg}\\b`).test(ci) }).toEqual({ pkg, inCi: false });
    expect({ pkg, inEnsureDeps: new RegExp(`\\b${pkg}\\b`).test(ensure) }).toEqual({ pkg, inEnsureDeps: false });
  }
});

describe('a missing system file names the package that provides it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'system-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('systemFile', () => {
    writeFileSync(join(dir, 'present'), '');
    expect(systemFile(join(dir, 'present'), 'libc6-arm64-cross')).toBe(join(dir, 'present'));
    expect(() => systemFile(join(dir, 'ld-linux-aarch64.so.1'), 'libc6-arm64-cross')).toThrow(
      /ld-linux-aarch64\.so\.1 is missing: it comes from Debian's libc6-arm64-cross package .*ensure-deps\.sh --system/
    );
  });

  test('systemCommand searches PATH', () => {
    writeFileSync(join(dir, 'qemu-aarch64-static'), '');
    expect(systemCommand('qemu-aarch64-static', 'qemu-user-static', `/nonexistent:${dir}`)).toBe(
      join(dir, 'qemu-aarch64-static')
    );
    expect(() => systemCommand('redis-server', 'redis-server', '/nonexistent')).toThrow(
      "the command redis-server is missing: it comes from Debian's redis-server package"
    );
  });

  test('a package that is not on the list is refused, so CI cannot miss it', () => {
    expect(() => systemFile('/bin/sh', 'tinyproxy-unlisted')).toThrow(
      'tinyproxy-unlisted is not in scripts/system-packages.txt'
    );
  });
});
