/**
 * The README's promises: the quick start is exactly the two commands, every `npm run` it names
 * exists, and every relative link or image points at a file of the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

const DOCS = ['README.md', 'src/README.md', 'provisioning/README.md', 'CHANGELOG.md'].filter((f) =>
  existsSync(join(root, f))
);

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

test('the quick start runs the product and all tests, with exactly two commands', () => {
  const quickStart = section(readFileSync(join(root, 'README.md'), 'utf8'), 'Quick start');
  const block = /```sh\n([\s\S]*?)```/.exec(quickStart)![1];
  const commands = block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
  expect(commands).toEqual(['npm run server', 'npm run test:all']);
});

test.each(DOCS)('%s names only npm scripts that exist', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const named = [...new Set([...text.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]))];
  expect(named.filter((name) => !(name in scripts))).toEqual([]);
});

test.each(DOCS)('%s links only to files that exist', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => target.replace(/#.*$/, ''));
  expect(targets.filter((target) => !existsSync(join(root, dirname(file), target)))).toEqual([]);
});

describe('one story in the docs', () => {
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  const plugin = JSON.parse(read('src/plugin.json'));

  test('the minimum Grafana is the one plugin.json requires, in every doc that states one', () => {
    const minimum = /^>=(\d+\.\d+)\.\d+$/.exec(plugin.dependencies.grafanaDependency)![1];
    const stated = DOCS.flatMap((file) =>
      [...read(file).matchAll(/Grafana\**\s+(\d+(?:\.\d+)*)\s+or\s+newer/g)].map((m) => ({ file, version: m[1] }))
    );
    expect(stated.map((s) => s.file)).toEqual(expect.arrayContaining(['README.md', 'src/README.md']));
    expect(stated).toEqual(stated.map(({ file }) => ({ file, version: minimum })));
  });

  test("the README's Node.js version is .nvmrc's", () => {
    const nvmrc = read('.nvmrc').trim();
    expect(/Node\.js (\d+) or newer/.exec(read('README.md'))?.[1]).toBe(nvmrc);
  });

  test('LICENSE names its copyright holder', () => {
    expect(read('LICENSE')).not.toMatch(/\{yyyy\}|\{name of copyright owner\}/);
    expect(read('LICENSE')).toMatch(/^ {3}Copyright \d{4} \S.*$/m);
  });

  test("plugin.json's screenshots are files the build ships (src/img) and the README's images", () => {
    const paths: string[] = plugin.info.screenshots.map((s: { path: string }) => s.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith('img/') || !existsSync(join(root, 'src', path)))).toEqual([]);
    const readmeImages = [...read('README.md').matchAll(/!\[[^\]]*\]\(src\/(img\/[^)]+)\)/g)].map((m) => m[1]);
    expect(readmeImages.sort()).toEqual([...paths].sort());
  });

  test('src/README.md (shipped in the zip) says how to allow the unsigned plugin', () => {
    expect(read('src/README.md')).toContain(`allow_loading_unsigned_plugins = ${plugin.id}`);
  });

  test('the README says what a cold dashboard costs and links the pricing page', () => {
    const text = read('README.md');
    expect(text).toMatch(/N series opened cold fills in about N seconds/);
    expect(text).toContain('(https://aws.amazon.com/cloudtrail/pricing/)');
  });
});
