import { expect, test } from '@playwright/test';
import { completeRestWithKeyboard, isRanking, login, openCampaignWithKeyboard, SHOTS, submitAndWaitNext, waitForTask } from './helpers';

test('a rater ranks a 4-way task by mouse drag, touch drag and keyboard', async ({ page }) => {
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

  // Touch: a finger on the last answer's handle, dragged to the top, then back to the bottom. Real touch
  // events from Chromium (CDP), which the browser turns into pointer events as on a phone.
  const cdp = await page.context().newCDPSession(page);
  const touchDrag = async (from: number, to: number) => {
    const handle = await items.nth(from).locator('.drag-handle').boundingBox();
    const target = await items.nth(to).boundingBox();
    if (!handle || !target) throw new Error('ranking items are not laid out');
    const start = { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 };
    const end = { x: target.x + target.width / 2, y: target.y + target.height / 2 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [start] });
    for (let step = 1; step <= 8; step++) {
      const p = { x: start.x + ((end.x - start.x) * step) / 8, y: start.y + ((end.y - start.y) * step) / 8 };
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  await touchDrag(3, 0);
  expect(await labels()).toEqual([before[3], before[2], before[0], before[1]]);
  await touchDrag(0, 3);
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
