import { expect, test } from '@playwright/test';
import { completeRestWithKeyboard, isRanking, login, openCampaignWithKeyboard, submitAndWaitNext, waitForTask } from './helpers';

test('a judgment in progress survives a reload, and one submitted offline is sent when back online', async ({ page, context }) => {
  await login(page, 'rater2', 'rater-demo');
  await openCampaignWithKeyboard(page);
  let id = await waitForTask(page);
  while (await isRanking(page)) { // this test is about the pairwise form
    await page.keyboard.press('k');
    await completeRestWithKeyboard(page, 1);
    await submitAndWaitNext(page, id);
    id = await waitForTask(page);
  }

  await page.keyboard.press('3'); // A slightly better
  const criteria = await page.locator('fieldset.criterion').count();
  if (criteria > 0) await page.keyboard.press('5');
  const rationale = page.getByLabel(/Rationale/);
  const hasRationale = (await rationale.count()) > 0;
  if (hasRationale) {
    await page.keyboard.press('r');
    await page.keyboard.type('A cites its source; B does not.');
    await page.keyboard.press('Escape');
  }

  await page.reload();
  expect(await waitForTask(page)).toBe(id);
  await expect(page.getByRole('radio', { name: /A slightly better/ })).toHaveAttribute('aria-checked', 'true');
  if (criteria > 0) await expect(page.locator('fieldset.criterion').first().getByRole('radio', { name: / 5$/ })).toHaveAttribute('aria-checked', 'true');
  if (hasRationale) await expect(rationale).toHaveValue('A cites its source; B does not.');

  // Finish the restored judgment, then lose the network right at submit.
  await page.locator('main').focus();
  await completeRestWithKeyboard(page, 2);
  await expect(page.getByRole('radio', { name: /A slightly better/ })).toHaveAttribute('aria-checked', 'true');
  await context.setOffline(true);
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Saved on this device/)).toBeVisible();
  const pending = await page.evaluate((a) => localStorage.getItem('rlhf.pending.' + a), id);
  expect(pending).toContain('idempotencyKey');

  const url = page.url();
  await page.reload().catch(() => undefined); // offline reload fails; the journal is in localStorage regardless
  await context.setOffline(false);
  await page.goto(url);
  await expect.poll(async () => page.evaluate((a) => localStorage.getItem('rlhf.pending.' + a), id), { timeout: 20_000 }).toBeNull();
  const next = await waitForTask(page).catch(() => null);
  expect(next).not.toBe(id);
});
