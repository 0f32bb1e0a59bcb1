import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { login, openCampaignWithKeyboard } from './helpers';

// WCAG 2.1 A/AA rules (labels, names, contrast, landmarks) on the main views, as axe-core checks them.
async function audit(page: Page, view: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const problems = result.violations.map((v) => `${view}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(problems, problems.join('\n')).toEqual([]);
}

test('login, rater home and compare view pass axe WCAG AA checks', async ({ page }) => {
  await page.goto('/#/login');
  await expect(page.getByLabel('Username')).toBeVisible();
  await audit(page, 'login');
  await login(page, 'rater1', 'rater-demo');
  await audit(page, 'rater home');
  await openCampaignWithKeyboard(page);
  await audit(page, 'judging');
  await page.keyboard.press('g');
  await expect(page.getByRole('dialog')).toBeVisible();
  await audit(page, 'guidelines');
});

test('research console and quality page pass axe WCAG AA checks', async ({ page }) => {
  await login(page, 'researcher', 'researcher-demo');
  await page.goto('/#/console');
  await expect(page.getByRole('table', { name: 'Campaigns' })).toBeVisible();
  await audit(page, 'console');
  await page.getByRole('link', { name: 'Demo: helpful answers', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await audit(page, 'campaign');
  await page.getByRole('link', { name: 'Quality' }).first().click();
  await expect(page.getByText("Krippendorff's α")).toBeVisible();
  await audit(page, 'quality');
});
