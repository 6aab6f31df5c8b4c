import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

import { AUTH_TYPES, parseSettings } from '../backend/cloudtrail/aws/settings';
import { dataSources, pluginJson, readYamlFiles } from './provisioningFiles';

/**
 * The commented real-AWS examples: each run of `#    ` lines (comment marker plus four spaces) is one
 * YAML fragment that users paste in place of jsonData/secureJsonData.
 */
function commentedExamples(path: string): Array<Record<string, Record<string, string>>> {
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^# {4}(.*)$/.exec(line);
    if (match) {
      current ??= [];
      current.push(match[1]);
    } else if (current) {
      blocks.push(current);
      current = undefined;
    }
  }
  return blocks.map((lines) => parse(lines.join('\n')));
}

describe('provisioned data sources', () => {
  const files = readYamlFiles('datasources');
  const entries = dataSources();

  test('every file is a version 1 data source file', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect({ path: file.path, apiVersion: file.content.apiVersion }).toEqual({ path: file.path, apiVersion: 1 });
      expect(Array.isArray(file.content.datasources)).toBe(true);
    }
  });

  test('every data source is this plugin, with a fixed unique uid and name', () => {
    const { id } = pluginJson();
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.type).toBe(id);
      expect(entry.access).toBe('proxy');
      expect(entry.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(entry.name.trim()).not.toBe('');
    }
    expect(new Set(entries.map((e) => e.uid)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    expect(entries.filter((e) => e.isDefault).length).toBeLessThanOrEqual(1);
  });

  test('the settings parse with the backend settings parser and point at the simulator service', () => {
    for (const entry of entries) {
      const parsed = parseSettings({
        jsonData: entry.jsonData ?? {},
        decryptedSecureJsonData: entry.secureJsonData ?? {},
      });
      expect(parsed).toMatchObject({ ok: true });
    }
    const simulator = entries.find((e) => e.uid === 'cloudtrail-insights-sim');
    expect(simulator?.jsonData).toMatchObject({
      authType: 'keys',
      endpoint: 'http://simulator:4599',
      defaultRegion: 'us-east-1',
    });
  });

  test('only known settings keys are used (jsonData and secureJsonData)', () => {
    const jsonKeys = ['authType', 'profile', 'defaultRegion', 'assumeRoleArn', 'externalId', 'endpoint'];
    const secureKeys = ['accessKey', 'secretKey', 'sessionToken'];
    for (const entry of entries) {
      expect(Object.keys(entry.jsonData ?? {}).filter((k) => !jsonKeys.includes(k))).toEqual([]);
      expect(Object.keys(entry.secureJsonData ?? {}).filter((k) => !secureKeys.includes(k))).toEqual([]);
    }
  });

  test('the commented real-AWS examples cover every auth type and each one parses', () => {
    const examples = files.flatMap((file) => commentedExamples(file.path));
    const authTypes = new Set<string>();
    for (const example of examples) {
      const jsonData = example.jsonData ?? {};
      if (jsonData.authType) {
        authTypes.add(jsonData.authType);
      }
      const parsed = parseSettings({
        jsonData: { ...jsonData },
        decryptedSecureJsonData: example.secureJsonData ?? {},
      });
      expect({ example, parsed }).toMatchObject({ parsed: { ok: true } });
    }
    expect([...authTypes].sort()).toEqual([...AUTH_TYPES].sort());
    expect(examples.some((e) => e.jsonData?.assumeRoleArn && e.jsonData?.externalId)).toBe(true);
  });
});
