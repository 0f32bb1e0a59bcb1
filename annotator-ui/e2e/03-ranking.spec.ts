import { expect, test } from '@playwright/test';
import { completeRestWithKeyboard, isRanking, login, openCampaignWithKeyboard, SHOTS, submitAndWaitNext, waitForTask } from './helpers';

test('a rater ranks a 4-way task by drag and by keyboard', async ({ page }) => {
  await login(page, 'rater3', 'rater-demo');
  await openCampaignWithKeyboard(page);
  let id = await waitForTask(page);
  for (let i = 0; !(await isRanking(page)) && i < 30; i++) {
    await page.keyboard.press('1');
    await completeRestWithKeyboard(page, i);
    await submitAndWaitNext(page, id);
    id = await waitForTask(page);
  }
  expect(await isRanking(page), 'the demo campaign should hold a 4-way ranking task').toBe(true);
  const items = page.locator('.rank-item');
  await expect(items).toHaveCount(4);
  const labels = async () => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
  const before = await labels();

  // Drag the third answer to the top.
  await items.nth(2).dragTo(items.nth(0));
  expect(await labels()).toEqual([before[2], before[0], before[1], before[3]]);

  // Keyboard: select the last answer, move it up one, tie it with the one above.
  await page.locator('main').focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowUp');
  expect(await labels()).toEqual([before[2], before[0], before[3], before[1]]);
  await page.keyboard.press('t');
  await expect(items.nth(2).getByText('tied with above')).toBeVisible();
  await page.screenshot({ path: SHOTS + 'ranking.png' });

  await completeRestWithKeyboard(page, 3);
  await submitAndWaitNext(page, id);
});
