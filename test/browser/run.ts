/**
 * `npm run test:browser` — the plugin's editors in a real Chromium, with their resource calls
 * answered by the real backend executable (over go-plugin gRPC) running against the simulator.
 * Saves screenshots to test-results/browser/; only with `--update-screenshots`
 * (`npm run test:browser -- --update-screenshots`) does it also copy the README's images to
 * src/img/screenshots/ — tracked files, and fonts differ between machines.
 * Exits non-zero on the first failed step.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

import { launchPlugin, type LaunchedPlugin } from '../../backend/sdk/testing/pluginClient';
import { systemFile } from '../../scripts/systemPackages';
import { startSimulator } from '../../simulator';
import { bundlePage } from './bundlePage';
import { pageSettingsFor, simulatorDataSource } from './pageSettings';
import { runSteps } from './scenario';
import { startTestServer, type TestServer } from './testServer';

const root = resolve(__dirname, '../..');
const artifacts = join(root, 'test-results', 'browser');
// The README's images, also shipped in the plugin (plugin.json info.screenshots).
const screenshots = join(root, 'src', 'img', 'screenshots');
const updateScreenshots = process.argv.slice(2).includes('--update-screenshots');
const backendPath = process.env.BROWSER_TEST_BACKEND ?? join(root, 'dist', 'gpx_cloudtrail_insights_linux_amd64');
const chromiumPath = process.env.BROWSER_TEST_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function requireFile(path: string, hint: string) {
  if (!existsSync(path)) {
    throw new Error(`${path} not found: ${hint}`);
  }
}

async function main(): Promise<void> {
  requireFile(backendPath, 'build the backend first with `npm run build:backend` (or set BROWSER_TEST_BACKEND).');
  if (process.env.BROWSER_TEST_CHROMIUM) {
    requireFile(chromiumPath, 'BROWSER_TEST_CHROMIUM names no file.');
  } else {
    systemFile(chromiumPath, 'chromium');
  }
  mkdirSync(artifacts, { recursive: true });

  const started = performance.now();
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let plugin: LaunchedPlugin | undefined;
  try {
    const simulator = await startSimulator({ port: 0, seed: 'browser-test' });
    cleanups.push(() => simulator.stop());
    plugin = await launchPlugin([backendPath]);
    const launched = plugin;
    cleanups.push(() => {
      launched.close();
      launched.child.kill('SIGTERM');
    });
    const bundle = await bundlePage(artifacts);
    const datasource = simulatorDataSource(simulator.url);
    const server: TestServer = await startTestServer({
      bundle,
      plugin,
      datasource,
      pageSettings: pageSettingsFor(datasource),
    });
    cleanups.push(() => server.close());
    console.log(
      `simulator ${simulator.url}, backend ${plugin.address} (handshake ${plugin.handshakeMs.toFixed(0)} ms), ` +
        `page bundled in ${bundle.buildMs.toFixed(0)} ms, server ${server.url}`
    );

    const userDataDir = mkdtempSync(join(tmpdir(), 'cloudtrail-browser-test-'));
    cleanups.push(() => rmSync(userDataDir, { recursive: true, force: true }));
    const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 1100 },
    });
    cleanups.push(() => context.close());

    const readmeImages: string[] = [];
    const saveScreenshot = (name: string) => {
      readmeImages.push(name);
      if (updateScreenshots) {
        mkdirSync(screenshots, { recursive: true });
        copyFileSync(join(artifacts, name), join(screenshots, name));
      }
    };
    await runSteps({
      context,
      server,
      artifacts,
      secrets: Object.values(datasource.decryptedSecureJsonData),
      saveScreenshot,
    });
    for (const call of server.calls) {
      console.log(`    resource ${call.path}${call.query} → ${call.status} in ${call.ms.toFixed(0)} ms`);
    }
    console.log(
      updateScreenshots
        ? `    updated src/img/screenshots/: ${readmeImages.join(', ')}`
        : `    README images left as they are (new ones in test-results/browser/: ${readmeImages.join(', ')}; ` +
            'copy them with npm run test:browser -- --update-screenshots)'
    );
    console.log(`browser test passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    if (plugin) {
      console.error(`backend stderr (last 2000 chars):\n${plugin.stderr().slice(-2000)}`);
    }
    throw err;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch(() => {});
    }
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`browser test FAILED: ${err.message}`);
    process.exit(1);
  }
);
