import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialProvider } from './credentials';
import { authPolicy, type CloudTrailSettings } from './settings';

const base: CloudTrailSettings = {
  authType: 'keys',
  defaultRegion: 'us-east-1',
  accessKey: 'AKIDONE',
  secretKey: 'very-secret',
};

describe('credentialProvider', () => {
  test('keys: the static keys and session token', async () => {
    const provider = credentialProvider({ ...base, sessionToken: 'tok' }, authPolicy({}, {}), 'us-east-1');
    await expect(provider()).resolves.toEqual({
      accessKeyId: 'AKIDONE',
      secretAccessKey: 'very-secret',
      sessionToken: 'tok',
    });
  });

  test('credentials: the named profile of the shared credentials file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-cred-'));
    writeFileSync(
      join(dir, 'credentials'),
      '[team]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n'
    );
    writeFileSync(join(dir, 'config'), '');
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
    };
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    try {
      const provider = credentialProvider(
        { authType: 'credentials', profile: 'team', defaultRegion: 'us-east-1' },
        authPolicy({}, {}),
        'us-east-1'
      );
      await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIDFILE', secretAccessKey: 'file-secret' });
      const missing = credentialProvider(
        { authType: 'credentials', profile: 'nope', defaultRegion: 'us-east-1' },
        authPolicy({}, {}),
        'us-east-1'
      );
      await expect(missing()).rejects.toThrow(/nope/);
    } finally {
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) {
          delete process.env[k];
        } else {
          process.env[k] = v;
        }
      }
    }
  });
});
