/**
 * The architecture rules of issue 21 that no linter states by itself:
 * - no folder of backend/, src/ or simulator/ grows past 15 source files;
 * - backend/cloudtrail reads `process.env` in at most two files (its configuration entry points);
 * - the word "shared" names only src/shared (the module both sides import), nothing else;
 * - no import cycles, type-only imports included (the same check as `npm run lint:cycles`).
 * The layer direction inside backend/cloudtrail is checked by eslint (eslint.config.mjs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import madge from 'madge';
import ts from 'typescript';

const root = join(__dirname, '..');

const MAX_SOURCE_FILES_PER_FOLDER = 15;
const MAX_FILES_READING_ENV = 2;

/** Files of the repository: tracked ones, and new ones git does not ignore (so a local run sees them too). */
const repositoryFiles: string[] = execFileSync(
  'git',
  ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
  {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }
)
  .split('\0')
  .filter((file) => file !== '' && existsSync(join(root, file)));

const isTest = (file: string) => /\.(test|spec)\.tsx?$/.test(file);
const isGenerated = (file: string) => file.split('/').includes('gen');

/** TypeScript source that ships or runs: not tests, not declarations, not generated code. */
function sourceFilesUnder(...folders: string[]): string[] {
  return repositoryFiles.filter(
    (file) =>
      folders.some((folder) => file.startsWith(`${folder}/`)) &&
      /\.tsx?$/.test(file) &&
      !file.endsWith('.d.ts') &&
      !isTest(file) &&
      !isGenerated(file)
  );
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Every node of a file, depth first. Comments, JSDoc included, are not visited. */
function nodesOf(node: ts.Node): ts.Node[] {
  const nodes = [node];
  ts.forEachChild(node, (child) => {
    nodes.push(...nodesOf(child));
  });
  return nodes;
}

const lineOf = (sourceFile: ts.SourceFile, node: ts.Node) =>
  sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;

describe('folder size', () => {
  test(`no folder of backend/, src/, simulator/ holds more than ${MAX_SOURCE_FILES_PER_FOLDER} source files`, () => {
    const counts = new Map<string, number>();
    for (const file of sourceFilesUnder('backend', 'src', 'simulator')) {
      counts.set(dirname(file), (counts.get(dirname(file)) ?? 0) + 1);
    }
    const oversized = [...counts]
      .filter(([, count]) => count > MAX_SOURCE_FILES_PER_FOLDER)
      .map(([folder, count]) => `${folder}: ${count} source files`);
    expect(oversized).toEqual([]);
  });
});

describe('configuration', () => {
  function readsEnvironment(sourceFile: ts.SourceFile): boolean {
    for (const node of nodesOf(sourceFile)) {
      // process.env, process?.env, process['env'], const { env } = process
      if (
        (ts.isPropertyAccessExpression(node) && node.name.text === 'env') ||
        (ts.isElementAccessExpression(node) &&
          ts.isStringLiteralLike(node.argumentExpression) &&
          node.argumentExpression.text === 'env')
      ) {
        if (ts.isIdentifier(node.expression) && node.expression.text === 'process') {
          return true;
        }
      }
      if (
        ts.isVariableDeclaration(node) &&
        ts.isObjectBindingPattern(node.name) &&
        node.initializer !== undefined &&
        ts.isIdentifier(node.initializer) &&
        node.initializer.text === 'process' &&
        node.name.elements.some((element) => (element.propertyName ?? element.name).getText(sourceFile) === 'env')
      ) {
        return true;
      }
    }
    return false;
  }

  test(`at most ${MAX_FILES_READING_ENV} files of backend/cloudtrail read process.env`, () => {
    // Test helpers (testing/, e2e/) configure test runs, not the plugin: they are not counted.
    const plugin = sourceFilesUnder('backend/cloudtrail').filter(
      (file) => !file.split('/').includes('testing') && !file.startsWith('backend/cloudtrail/e2e/')
    );
    const readers = plugin.filter((file) => readsEnvironment(parse(file)));
    // Over the limit, the message lists every file that reads it.
    const tooMany = readers.length > MAX_FILES_READING_ENV ? readers : [];
    expect(tooMany).toEqual([]);
  });
});

describe('the word "shared" names only src/shared', () => {
  const SHARED = /shared/i;
  /** A module specifier that points at src/shared, such as '../../src/shared/queryModel'. */
  const SHARED_MODULE_PATH = /^(?:\.{1,2}\/)*src\/shared(?:\/|$)/;
  /**
   * Names that are not ours to choose: CloudTrail's field joining an Insights event's Start and End,
   * Grafana's legacy authType value for a credentials profile, and the operator setting of issue 24
   * that holds the replicas' secret (grafana.ini `redis_shared_secret`, i.e. GF_PLUGIN_REDIS_SHARED_SECRET,
   * or CLOUDTRAIL_REDIS_SHARED_SECRET): operators write it, so its name is part of the interface.
   */
  const EXTERNAL_NAMES = new Set([
    'sharedEventID',
    'sharedCreds',
    'REDIS_SHARED_SECRET',
    'CLOUDTRAIL_REDIS_SHARED_SECRET',
    'GF_PLUGIN_REDIS_SHARED_SECRET',
    'redis_shared_secret',
  ]);

  test('no file or folder outside src/shared has "shared" in its name', () => {
    const named = repositoryFiles.filter((file) => !file.startsWith('src/shared/') && SHARED.test(file));
    expect(named).toEqual([]);
  });

  /**
   * The names a file gives: identifiers, and literals without whitespace (metric names, keys, labels).
   * Comments are not nodes; literals with whitespace are prose (messages, help texts), as comments are;
   * paths to src/shared name src/shared.
   */
  function namesIn(sourceFile: ts.SourceFile): Array<{ name: string; node: ts.Node }> {
    const names: Array<{ name: string; node: ts.Node }> = [];
    for (const node of nodesOf(sourceFile)) {
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
        names.push({ name: node.text, node });
      } else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
        if (!/\s/.test(node.text) && !SHARED_MODULE_PATH.test(node.text)) {
          names.push({ name: node.text, node });
        }
      }
    }
    return names;
  }

  test('no name in the source of backend/ and simulator/ contains "shared", paths to src/shared apart', () => {
    const uses: string[] = [];
    for (const file of sourceFilesUnder('backend', 'simulator')) {
      const sourceFile = parse(file);
      for (const { name, node } of namesIn(sourceFile)) {
        if (SHARED.test(name) && !EXTERNAL_NAMES.has(name)) {
          uses.push(`${file}:${lineOf(sourceFile, node)}: ${name}`);
        }
      }
    }
    expect(uses).toEqual([]);
  });
});

describe('import cycles (type-only imports included)', () => {
  // The CLI (`npm run lint:cycles`) reads the same options from package.json's "madge" key.
  const { detectiveOptions } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).madge;

  test.each([
    ['src', 'tsconfig.json'],
    ['backend', 'tsconfig.node.json'],
    ['simulator', 'tsconfig.node.json'],
  ])(
    '%s has no import cycle',
    async (folder, tsConfig) => {
      const graph = await madge(join(root, folder), {
        baseDir: root,
        fileExtensions: ['ts', 'tsx'],
        tsConfig: join(root, tsConfig),
        detectiveOptions,
      });
      // Files madge could not resolve would hide cycles through them.
      expect({
        cycles: graph.circular().map((cycle) => cycle.join(' > ')),
        unresolved: graph.warnings().skipped,
      }).toEqual({ cycles: [], unresolved: [] });
    },
    60_000
  );
});
