/** The browser test's scenario: each step states what a user would see, and fails loudly if not. */
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { chooseOption, expect, expectPeriodHint, openAndListOptions, queryModel, waitForCall } from './browserSteps';
import type { TestServer } from './testServer';

interface ScenarioContext {
  context: BrowserContext;
  server: TestServer;
  artifacts: string;
  /** Values that must never reach the page (the data source's decrypted secrets). */
  secrets: string[];
  /** Marks an artifact screenshot as a README image (copied to src/img/screenshots/ only with --update-screenshots). */
  saveScreenshot: (name: string) => void;
}

/** A RadioButtonGroup option by value, in one editor of the page (its input lies over the label and takes the click). */
const radio = (scope: Locator, value: string) => scope.getByTestId(`data-testid radio-button-option ${value}`);

async function step(name: string, page: Page, artifacts: string, run: () => Promise<void>) {
  const started = performance.now();
  try {
    await run();
    console.log(`  ✓ ${name} (${(performance.now() - started).toFixed(0)} ms)`);
  } catch (err) {
    const shot = join(artifacts, 'failure.png');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    throw new Error(`step "${name}" failed: ${(err as Error).message} (page screenshot: ${shot})`);
  }
}

export async function runSteps({
  context,
  server,
  artifacts,
  secrets,
  saveScreenshot,
}: ScenarioContext): Promise<void> {
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  let eventSource = '';
  let eventName = '';
  const panel = page.getByTestId('query-editor-section');

  await step('the page renders the query editor with the Grafana theme', page, artifacts, async () => {
    await page.goto(server.url);
    await page.locator('#cloudtrail-event-source').waitFor({ timeout: 20_000 });
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background === 'rgb(17, 18, 23)', `body background ${background} is not the dark theme's`);
  });

  await step('event sources load from the backend and one can be chosen', page, artifacts, async () => {
    const sources = await openAndListOptions(page, 'cloudtrail-event-source');
    eventSource = sources.find((source) => source.endsWith('.amazonaws.com')) ?? '';
    expect(eventSource, `no event source offered; options: ${sources.join(', ')}`);
    // No region chosen: the editor leaves the parameter out and the backend uses the default region.
    const call = await waitForCall(server.calls, 'event-sources', {});
    expect(
      call.status === 200 && !new URLSearchParams(call.query).has('region'),
      `event-sources call ${call.query} → ${call.status}`
    );
    await chooseOption(page, eventSource);
    expect((await queryModel(page)).eventSource === eventSource, 'the query did not take the chosen event source');
  });

  await step('event names load for the chosen event source', page, artifacts, async () => {
    const call = await waitForCall(server.calls, 'event-names', { eventSource });
    expect(call.status === 200, `event-names answered HTTP ${call.status}`);
    const names = await openAndListOptions(page, 'cloudtrail-event-name');
    eventName = names[0] ?? '';
    expect(eventName, `no event names offered for ${eventSource}`);
    await chooseOption(page, eventName);
    expect((await queryModel(page)).eventName === eventName, 'the query did not take the chosen event name');
  });

  await step(
    'switching to error rate shows the error code, required, with codes from the backend',
    page,
    artifacts,
    async () => {
      expect(!(await page.locator('#cloudtrail-error-code').isVisible()), 'error code shown for the call-rate type');
      await radio(panel, 'ApiErrorRateInsight').click();
      await page.locator('#cloudtrail-error-code').waitFor({ timeout: 5_000 });
      await page.getByText('Error code is required for the API error rate insight type', { exact: false }).waitFor();
      const call = await waitForCall(server.calls, 'error-codes', { eventSource, eventName });
      expect(call.status === 200, `error-codes answered HTTP ${call.status}`);
      const codes = await openAndListOptions(page, 'cloudtrail-error-code');
      if (codes.length > 0) {
        await chooseOption(page, codes[0]);
      } else {
        await page.locator('#cloudtrail-error-code').fill('AccessDenied');
        await page.keyboard.press('Enter');
      }
      const query = await queryModel(page);
      expect(
        query.insightType === 'ApiErrorRateInsight' && query.errorCode,
        `query after choosing a code: ${JSON.stringify(query)}`
      );
      expect(!(await page.getByText('Error code is required', { exact: false }).isVisible()), 'required message stays');
    }
  );

  await step('the period hint follows the time range and the period', page, artifacts, async () => {
    await expectPeriodHint(page, /^Period: 300 s \(auto, last 30 days\)$/);
    await radio(panel, '80').click();
    await expectPeriodHint(page, /^Period: 3600 s \(auto, last 80 days\)$/);
    await radio(panel, '60').click();
    await expectPeriodHint(
      page,
      /Period 60 s is kept for 15 days only and this range starts 80 days ago: using 3600 s/
    );
    await radio(panel, '1').click();
    await expectPeriodHint(page, /^Period: 60 s \(fixed, last 1 day\)$/);
    await radio(panel, 'auto').click();
    await radio(panel, '30').click();
    await expectPeriodHint(page, /^Period: 300 s \(auto, last 30 days\)$/);
  });

  await step('screenshot of the query editor', page, artifacts, async () => {
    await page.mouse.click(5, 5);
    await page.getByTestId('query-editor-section').screenshot({ path: join(artifacts, 'query-editor.png') });
    saveScreenshot('query-editor.png');
  });

  await step(
    'switching to Insights events shows the event filters, state and format instead of the metrics fields',
    page,
    artifacts,
    async () => {
      await radio(panel, 'events').click();
      await page.locator('#cloudtrail-events-event-source').waitFor({ timeout: 5_000 });
      const query = await queryModel(page);
      expect(
        query.queryType === 'events' && query.eventSource === eventSource && query.period === undefined,
        `query after switching: ${JSON.stringify(query)}`
      );
      expect(
        !(await page
          .getByTestId('cloudtrail-period-hint')
          .isVisible()
          .catch(() => false)),
        'period hint still shown'
      );
      expect(!(await page.locator('#cloudtrail-legend').isVisible()), 'legend still shown for events');
      for (const value of ['ongoing', 'ended', 'table', 'count']) {
        expect(await radio(panel, value).isVisible(), `no "${value}" option`);
      }
      await radio(panel, 'ongoing').click();
      expect((await queryModel(page)).state === 'ongoing', 'the query did not take the state');
      await page.mouse.click(5, 5);
      await page.getByTestId('query-editor-section').screenshot({ path: join(artifacts, 'events-query-editor.png') });
      saveScreenshot('events-query-editor.png');
      await radio(panel, 'metrics').click();
      await page.locator('#cloudtrail-legend').waitFor({ timeout: 5_000 });
    }
  );

  await step('a long name is shown whole while the row has room', page, artifacts, async () => {
    const input = page.locator('#cloudtrail-event-name');
    // This file compiles without the DOM library: the input as the little the check reads of it.
    type Measured = {
      value: string;
      scrollWidth: number;
      clientWidth: number;
      getBoundingClientRect(): { width: number };
    };
    const measure = (el: unknown) => {
      const box = el as Measured;
      return { value: box.value, width: box.getBoundingClientRect().width, fits: box.scrollWidth <= box.clientWidth };
    };
    await input.fill('AuthorizeSecurityGroupIngress');
    await page.keyboard.press('Enter');
    expect(
      (await queryModel(page)).eventName === 'AuthorizeSecurityGroupIngress',
      'the typed event name was not taken'
    );
    await page.mouse.click(5, 5);
    const shown = await input.evaluate(measure);
    expect(shown.value === 'AuthorizeSecurityGroupIngress', `the field shows "${shown.value}"`);
    expect(shown.fits, `"${shown.value}" is cut off in a ${shown.width}px field`);
    // It grew past its minimum (30 grid units of 8 px) rather than cutting the name. Not compared
    // with its width before typing: the loading spinner and clear icon change that by a few px.
    expect(shown.width > 240, `the field kept its ${shown.width}px minimum instead of growing`);
  });

  await step(
    "switching the scope to data events offers the trails by ARN, and then that trail's event sources",
    page,
    artifacts,
    async () => {
      expect(!(await page.locator('#cloudtrail-trail').isVisible()), 'a trail field shown for management events');
      await radio(panel, 'data').click();
      await page.locator('#cloudtrail-trail').waitFor({ timeout: 5_000 });
      const trails = await openAndListOptions(page, 'cloudtrail-trail');
      const call = await waitForCall(server.calls, 'trails', {});
      expect(call.status === 200, `trails answered HTTP ${call.status}`);
      // Trails with data-event Insights first; each described by its home region and Insights.
      expect(trails[0] === 'data-events', `trails offered: ${trails.join(', ')}`);
      await page
        .getByText('us-east-1 · Insights: API call rate, API error rate on management and data events')
        .waitFor();
      await chooseOption(page, 'data-events');
      const query = await queryModel(page);
      const arn = String(query.trailName);
      expect(
        query.eventCategory === 'data' && /^arn:aws:cloudtrail:us-east-1:\d{12}:trail\/data-events$/.test(arn),
        `query after picking the trail: ${JSON.stringify(query)}`
      );
      const sourcesCall = await waitForCall(server.calls, 'event-sources', { trailName: arn });
      expect(sourcesCall.status === 200, `event-sources for the trail answered HTTP ${sourcesCall.status}`);
      const sources = await openAndListOptions(page, 'cloudtrail-event-source');
      expect(
        ['s3.amazonaws.com', 'lambda.amazonaws.com', 'dynamodb.amazonaws.com'].every((s) => sources.includes(s)) &&
          !sources.includes('iam.amazonaws.com'),
        `event sources of the trail's data events: ${sources.join(', ')}`
      );
      await chooseOption(page, 's3.amazonaws.com');
      await waitForCall(server.calls, 'event-names', { trailName: arn, eventSource: 's3.amazonaws.com' });
      const names = await openAndListOptions(page, 'cloudtrail-event-name');
      expect(names.includes('GetObject'), `S3 data events with Insights: ${names.join(', ')}`);
      await chooseOption(page, 'GetObject');
      // The call rate of the trail's S3 GetObject data events (the error code of the earlier step goes).
      await radio(panel, 'ApiCallRateInsight').click();
      expect((await queryModel(page)).errorCode === undefined, 'the error code stayed for the call rate');
      await page.mouse.click(5, 5);
      await page
        .getByTestId('query-editor-section')
        .screenshot({ path: join(artifacts, 'data-events-query-editor.png') });
      saveScreenshot('data-events-query-editor.png');
      // Back to management events: the trail goes, and the lists are management events' again.
      await radio(panel, 'management').click();
      const back = await queryModel(page);
      expect(back.trailName === undefined && back.eventCategory === undefined, `query: ${JSON.stringify(back)}`);
      expect(!(await page.locator('#cloudtrail-trail').isVisible()), 'the trail field stays for management events');
    }
  );

  await step(
    'the annotation editor offers the insight type (all by default), error codes from the backend, and the state',
    page,
    artifacts,
    async () => {
      const section = page.getByTestId('annotation-editor-section');
      expect(await radio(section, '').isChecked(), '"All types" is not the default insight type');
      await page.locator('#cloudtrail-annotation-error-code').waitFor({ timeout: 5_000 });
      await radio(section, 'ApiErrorRateInsight').click();
      const codes = await openAndListOptions(page, 'cloudtrail-annotation-error-code');
      expect(codes.length > 0, 'no error codes offered for error-rate annotations');
      await chooseOption(page, codes[0]);
      await radio(section, 'ongoing').click();
      const annotation = await queryModel(page, 'annotation');
      expect(
        annotation.queryType === 'annotations' &&
          annotation.insightType === 'ApiErrorRateInsight' &&
          annotation.errorCode === codes[0] &&
          annotation.state === 'ongoing',
        `annotation query: ${JSON.stringify(annotation)}`
      );
      await page.mouse.click(5, 5);
      await section.screenshot({ path: join(artifacts, 'annotation-editor.png') });
    }
  );

  await step(
    'a dashboard variable lists Insights events from the backend: event names, then one per Insight',
    page,
    artifacts,
    async () => {
      const section = page.getByTestId('variable-editor-section');
      const preview = page.getByTestId('variable-preview').locator('li');
      const kinds = await openAndListOptions(page, 'cloudtrail-variable-kind');
      expect(kinds.includes('Insights events'), `lists offered: ${kinds.join(', ')}`);
      await chooseOption(page, 'Insights events');
      const call = await waitForCall(server.calls, 'insights', {});
      expect(
        call.status === 200 && new URLSearchParams(call.query).has('from'),
        `insights ${call.query} → ${call.status}`
      );
      await preview.first().waitFor({ timeout: 20_000 });
      await openAndListOptions(page, 'cloudtrail-variable-value');
      await chooseOption(page, 'Event ID (one per Insight)');
      await waitForCall(server.calls, 'insights', { value: 'eventId' });
      await page
        .getByTestId('variable-preview')
        .getByText(/, (since .+ UTC, ongoing|.+ – .+ UTC)$/)
        .first()
        .waitFor({ timeout: 20_000 });
      const texts = await preview.allInnerTexts();
      expect(
        texts.every((text) => /^\w+ \([a-z0-9-]+\.amazonaws\.com\), API (call|error) rate/.test(text)),
        `Insight options: ${texts.slice(0, 3).join(' | ')}`
      );
      await radio(section, 'ended').click();
      await waitForCall(server.calls, 'insights', { value: 'eventId', state: 'ended' });
      const variable = await queryModel(page, 'variable');
      expect(
        variable.kind === 'insights' && variable.valueField === 'eventId' && variable.state === 'ended',
        `variable query: ${JSON.stringify(variable)}`
      );
      await page.mouse.click(5, 5);
      await section.screenshot({ path: join(artifacts, 'variable-editor.png') });
    }
  );

  await step(
    'the config editor shows the AWS connection settings, secrets only as configured',
    page,
    artifacts,
    async () => {
      const section = page.getByTestId('config-editor-section');
      await section.getByText('Connection Details').waitFor();
      const endpoint = await page.locator('#endpoint').inputValue();
      expect(endpoint.startsWith('http://127.0.0.1:'), `endpoint field shows "${endpoint}"`);
      expect(await page.locator('#accessKeyId').isDisabled(), 'access key is editable instead of "Configured"');
      expect((await section.innerText()).includes('us-east-1'), 'default region us-east-1 not shown');
      await waitForCall(server.calls, 'regions', {});
      const html = await page.content();
      expect(!secrets.some((secret) => html.includes(secret)), 'a secret reached the page');
      await section.screenshot({ path: join(artifacts, 'config-editor.png') });
      saveScreenshot('config-editor.png');
    }
  );

  await step('no errors were thrown in the page', page, artifacts, async () => {
    expect(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`);
  });
}
