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
