import { expect, type Page } from '@playwright/test';

export const DEMO_CAMPAIGN = 'Demo: helpful answers';
// Where the screenshots go; point it elsewhere for runs that should not replace the committed ones.
export const SHOTS = process.env.RLHF_SCREENSHOT_DIR ? process.env.RLHF_SCREENSHOT_DIR.replace(/\/?$/, '/') : new URL('../docs/screenshots/', import.meta.url).pathname;

/** Logs in with the keyboard only: the username field has focus on arrival. */
export async function login(page: Page, username: string, password: string) {
  await page.goto('/#/login');
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

/** From the rater home, Tab to the campaign's "Start judging" link and press Enter. */
export async function openCampaignWithKeyboard(page: Page, name = DEMO_CAMPAIGN) {
  await expect(page.getByRole('heading', { name })).toBeVisible();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent ?? '');
    if (label.startsWith('Start judging') && label.includes(name)) break;
  }
  await page.keyboard.press('Enter');
  await waitForTask(page);
}

export async function waitForTask(page: Page): Promise<string> {
  const ws = page.locator('[data-assignment-id]');
  await expect(ws).toBeVisible();
  return (await ws.getAttribute('data-assignment-id'))!;
}

export async function currentAssignment(page: Page) {
  return page.locator('[data-assignment-id]').getAttribute('data-assignment-id');
}

export async function isRanking(page: Page) {
  return (await page.locator('.rank-item').count()) > 0;
}

/** Fills whatever the form still needs with keys only: criteria digits, then a rationale if required. */
export async function completeRestWithKeyboard(page: Page, seed: number) {
  const criteria = await page.locator('fieldset.criterion').count();
  if (criteria > 0) await page.keyboard.press('c'); // first criterion, wherever the focus step was
  for (let c = 0; c < criteria; c++) await page.keyboard.press(String(1 + ((seed + c * 3) % 7)));
  const missing = (await page.locator('#missing').textContent()) ?? '';
  if (missing.includes('rationale')) {
    await page.keyboard.press('r');
    await page.keyboard.type(`Judged by keyboard, pair ${seed}.`);
    await page.keyboard.press('Escape');
  }
  await expect(page.locator('#missing')).toHaveText('Ready to submit.');
}

/** Submits with Enter and waits until a different task (or the end) is on screen. */
export async function submitAndWaitNext(page: Page, previous: string) {
  await expect(page.getByRole('button', { name: /^Submit/ })).toBeEnabled();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await page.getByRole('heading', { name: 'All done' }).count()) > 0
    || ((await currentAssignment(page)) ?? previous) !== previous, { timeout: 15_000 }).toBe(true);
}

export function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
