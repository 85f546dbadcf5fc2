/**
 * Steps a person takes in the runtime UI that several browser tests share: signing in a role in a
 * browser context of its own, opening the tasks inbox, deciding a task in the decision dialog, and
 * signing and submitting the open document.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { signIn, visibleText } from './browser.js';

/** A page in a fresh browser context (own cookies), signed in through the sign-in screen. */
export async function signedInPage(browser: Browser, baseUrl: string, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000); // a missing element fails with its locator, inside the step's time
  await signIn(page, baseUrl, email);
  return page;
}

/** Opens Tasks from the main menu; the pending tasks table. */
export async function openInbox(page: Page): Promise<Locator> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Tasks/ }).click();
  await visibleText(page.getByRole('heading', { name: 'Tasks', level: 1 }));
  return page.getByRole('table', { name: 'Pending tasks' });
}

export interface Decision {
  /** Typed into the Reason box. */
  reason?: string;
  /** Label -> option chosen in the dialog (e.g. Advocacy Agencies -> Harbor Youth Advocates). */
  choose?: Record<string, string>;
  /** Called with the dialog filled in, before confirming (screenshots, axe). */
  before?: () => Promise<void>;
}

/** Clicks the decision's button on a task row, fills the dialog and confirms; waits until the dialog has closed and the row has left the list. */
export async function decideTask(page: Page, row: Locator, decision: string, options: Decision = {}) {
  await row.getByRole('button', { name: new RegExp(`^${decision}`) }).click();
  const dialog = page.getByRole('dialog');
  if (options.reason) await dialog.getByLabel(/^Reason/).fill(options.reason);
  for (const [label, option] of Object.entries(options.choose ?? {})) {
    await dialog.getByLabel(new RegExp(`^${label}`)).click();
    await page.getByRole('option', { name: option }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
  }
  await options.before?.();
  await dialog.getByRole('button', { name: decision, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' }); // the decision is saved: the task has left the list
}

/** Sign, type the signer's name, Submit; waits until the document says it is submitted. */
export async function signAndSubmit(page: Page, signer: string) {
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.getByLabel(/^Signature \(your full name\)/).fill(signer);
  await page.getByRole('button', { name: 'Submit' }).click();
  const done = page.getByText('This document has been submitted and is read-only.');
  const problems = page.getByRole('list', { name: 'Fields to fix' });
  await done.waitFor().catch(async (error) => {
    throw (await problems.isVisible()) ? new Error(`Submit refused: ${await problems.innerText()}`) : error;
  });
}

/**
 * Types a date (MM/DD/YYYY) into a date field: focus goes to its first (month) section, then the
 * digits, and the field must show the whole date.
 */
export async function typeDate(page: Page, field: string, usDate: string) {
  const group = page.getByRole('group', { name: field });
  await group.getByRole('spinbutton').first().click();
  await page.keyboard.type(usDate.replace(/\D/g, ''), { delay: 60 });
  const shown = (await visibleText(group)).replace(/\s+/g, '');
  if (!shown.includes(usDate)) throw new Error(`The date field "${field}" shows "${shown}" after typing ${usDate}`);
}
