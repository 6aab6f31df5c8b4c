/**
 * What the browser test does on the page, step by step, as a user would: pick from lists the real
 * backend fills from the simulator, switch the insight type, change the time range, read the hints.
 */
import type { Page } from 'playwright-core';

import type { ResourceCall } from './resourceProxy';

/** An option of the open Combobox menu (closed menus stay in the page, empty). */
const OPTION = '[role="listbox"] [role="option"]';

export class StepFailure extends Error {}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new StepFailure(message);
  }
}

/**
 * Opens a combobox and returns the option labels (dashboard variables excluded) once the list has
 * loaded: when a real option shows, or when the field is no longer busy.
 */
export async function openAndListOptions(page: Page, inputId: string): Promise<string[]> {
  const input = page.locator(`#${inputId}`);
  // ResourceField marks its combobox aria-busy while the list loads (fixed lists have no such mark).
  const field = page.getByTestId(`${inputId}-field`);
  await input.click();
  // The menu is portalled to the end of the body; the input names it.
  const menu = page.locator(`[id="${await input.getAttribute('aria-controls')}"]`);
  await menu.waitFor({ timeout: 20_000 });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    // Spinner first, then labels: the list renders in the same update that removes the spinner.
    const loading = (await field.count()) > 0 && (await field.getAttribute('aria-busy')) === 'true';
    const labels = (await menu.locator('[role="option"]').allInnerTexts())
      .map((label) => label.split('\n')[0].trim())
      .filter((label) => label && !label.startsWith('$'));
    if (labels.length > 0 || !loading) {
      return labels;
    }
    await page.waitForTimeout(50);
  }
  throw new StepFailure(`the ${inputId} list was still loading after 20 s`);
}

export async function chooseOption(page: Page, label: string): Promise<void> {
  await page.locator(OPTION).filter({ hasText: label }).first().click();
}

/** Waits until the backend has answered a resource call matching the path and query parameters. */
export async function waitForCall(
  calls: ResourceCall[],
  path: string,
  params: Record<string, string>,
  timeoutMs = 20_000
): Promise<ResourceCall> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const call = calls.find((candidate) => {
      const query = new URLSearchParams(candidate.query);
      return candidate.path === path && Object.entries(params).every(([key, value]) => query.get(key) === value);
    });
    if (call) {
      return call;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new StepFailure(
    `no ${path} call with ${JSON.stringify(params)} reached the backend; calls: ${JSON.stringify(calls.map((c) => c.path + c.query))}`
  );
}

export async function periodHintText(page: Page): Promise<string> {
  return (await page.getByTestId('period-hint').innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits for the period hint to match, reporting the last text seen if it never does. */
export async function expectPeriodHint(page: Page, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await periodHintText(page);
    if (pattern.test(text)) {
      return text;
    }
    await page.waitForTimeout(50);
  }
  throw new StepFailure(`period hint "${text}" does not match ${pattern}`);
}

/** The query an editor of the page holds: the panel query's (default), the annotation's or the variable's. */
export async function queryModel(page: Page, which = 'query'): Promise<Record<string, unknown>> {
  return JSON.parse((await page.getByTestId(`${which}-json`).textContent()) ?? '{}');
}

export { expect };
