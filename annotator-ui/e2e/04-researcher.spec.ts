import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO_CAMPAIGN, login, SHOTS } from './helpers';

const fixture = new URL('./fixtures/import.jsonl', import.meta.url).pathname;

test('a researcher creates a campaign, imports JSONL with a bad line, generates tasks and exports', async ({ page }) => {
  await login(page, 'researcher', 'researcher-demo');
  await page.goto('/#/console');
  await expect(page.getByRole('table', { name: 'Campaigns' })).toBeVisible();
  await page.screenshot({ path: SHOTS + 'console.png' });

  await page.getByRole('link', { name: 'New campaign' }).click();
  const name = `E2E import ${Date.now()}`;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Guidelines (Markdown').fill('# Prefer correct answers\nIgnore style.');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  await page.getByLabel(/JSONL file/).setInputFiles(fixture);
  const report = page.locator('.import-report');
  await expect(report).toContainText('3 lines: 2 prompts and 5 completions imported, 1 lines rejected');
  await expect(page.getByRole('table', { name: 'Rejected lines' }).getByRole('row').nth(1)).toContainText('3');

  await page.getByRole('button', { name: 'Generate tasks' }).click();
  await expect(page.getByText(/\d+ comparison tasks created/)).toBeVisible();

  // A gold pair by hand: the capital of France, "Paris." known to be better.
  await page.getByRole('combobox', { name: 'Prompt', exact: true }).selectOption({ label: 'What is the capital of France?' });
  await page.getByRole('checkbox', { name: /Paris\./ }).check();
  await page.getByRole('checkbox', { name: /Lyon/ }).check();
  await page.getByRole('checkbox', { name: /Gold task/ }).check();
  await page.getByRole('combobox', { name: 'Gold answer' }).selectOption('A');
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByText('Task created (gold).')).toBeVisible();
  await page.screenshot({ path: SHOTS + 'campaign.png', fullPage: true });

  // Export the demo campaign, which the rater tests have judged.
  await page.goto('/#/console');
  await page.getByRole('link', { name: DEMO_CAMPAIGN, exact: true }).click();
  const [trl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export TRL preference JSONL' }).click()]);
  const trlLines = readFileSync((await trl.path())!, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  expect(trlLines.length).toBeGreaterThan(0);
  expect(trlLines[0]).toHaveProperty('chosen');
  expect(trlLines[0]).toHaveProperty('rejected');
  await expect(page.getByText(/TRL export: \d+ pairs/)).toBeVisible();
  const [full] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export full JSONL' }).click()]);
  const fullLines = readFileSync((await full.path())!, 'utf8').trim().split('\n').filter(Boolean);
  expect(fullLines.length).toBeGreaterThanOrEqual(10); // at least rater1's ten pairs
  expect(typeof JSON.parse(fullLines[0])).toBe('object');

  await page.getByRole('link', { name: 'Quality' }).first().click();
  await expect(page.getByText("Krippendorff's α")).toBeVisible();
  await page.waitForTimeout(300); // let Chart.js draw before the screenshot
  await page.screenshot({ path: SHOTS + 'quality.png', fullPage: true });
});

test('a researcher sees the reward-model worker\'s dataset, built from the judgments the raters submitted', async ({ page }) => {
  await login(page, 'researcher', 'researcher-demo');
  await page.getByRole('link', { name: 'Reward models' }).click();
  await expect(page.getByRole('heading', { name: 'Reward models' })).toBeVisible();
  // The judgments go backend → outbox → Kafka → worker; the rater tests have submitted some.
  const received = page.locator('.stat-tiles .card', { hasText: 'judgments received' }).locator('strong');
  await expect(async () => {
    await page.reload();
    expect(Number(await received.textContent())).toBeGreaterThan(0);
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(/No versions yet|Versions, newest last/)).toBeVisible();
  await page.screenshot({ path: SHOTS + 'reward-models.png', fullPage: true });
});

test('an admin sees users and roles', async ({ page }) => {
  test.skip(!process.env.RLHF_ADMIN_PASSWORD, 'RLHF_ADMIN_PASSWORD not set');
  await login(page, 'admin', process.env.RLHF_ADMIN_PASSWORD!);
  await page.goto('/#/users');
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('rater1');
  await page.screenshot({ path: SHOTS + 'users.png' });
});
