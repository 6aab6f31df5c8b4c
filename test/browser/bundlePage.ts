/**
 * Bundles the browser test page (the plugin's own editors plus the Grafana packages they use)
 * with esbuild into one script the test server serves.
 */
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/**
 * @grafana/plugin-compat probes for @grafana/runtime functions newer than the installed version
 * (`typeof fn === 'function'`). Webpack leaves @grafana/runtime external so that works; esbuild
 * bundles it and rejects the missing named imports, so they become property reads instead.
 */
const optionalRuntimeImports: Plugin = {
  name: 'optional-runtime-imports',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /@grafana[\\/]plugin-compat[\\/].*\.m?js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace(
        /import\s*\{([^}]*)\}\s*from\s*'@grafana\/runtime';/g,
        (_, names: string) =>
          `import * as grafanaRuntime from '@grafana/runtime';\n` +
          names
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean)
            .map((name) => {
              const [imported, local = imported] = name.split(/\s+as\s+/);
              return `const ${local} = grafanaRuntime['${imported}'];`;
            })
            .join('\n')
      );
      return { contents, loader: 'js' };
    });
  },
};

export interface PageBundle {
  js: string;
  css: string;
  buildMs: number;
}

export async function bundlePage(outdir: string): Promise<PageBundle> {
  const started = performance.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'test/browser/page/index.tsx')],
    bundle: true,
    outdir,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'transform',
    minify: false,
    sourcemap: false,
    logLevel: 'error',
    plugins: [optionalRuntimeImports],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
  });
  const text = (ext: string) => result.outputFiles.find((file) => file.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css'), buildMs: performance.now() - started };
}
