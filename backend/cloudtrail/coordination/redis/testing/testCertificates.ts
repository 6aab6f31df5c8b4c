/** A throwaway CA and a server certificate for 127.0.0.1 (openssl CLI), for TLS tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemCommand } from '../../../../../scripts/systemPackages';

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function makeTestCertificates(): TestCertificates {
  const openssl = systemCommand('openssl', 'openssl');
  const dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync(openssl, args, { stdio: 'ignore' });
  const key = ['-newkey', 'rsa:2048', '-nodes'];
  run('req', '-x509', ...key, '-days', '1', '-subj', '/CN=test CA', '-keyout', at('ca.key'), '-out', at('ca.pem'));
  run('req', ...key, '-subj', '/CN=127.0.0.1', '-keyout', at('server.key'), '-out', at('server.csr'));
  writeFileSync(at('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  run(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    at('san.cnf'),
    '-out',
    at('server.pem')
  );
  return { caFile: at('ca.pem'), certFile: at('server.pem'), keyFile: at('server.key') };
}
