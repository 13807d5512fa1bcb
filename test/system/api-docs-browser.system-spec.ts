import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '@test/support/chromium';
import { demoEnvironment } from '@test/support/demo-directory';
import { startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

/** What the UI does takes a moment on a loaded machine; a step that never happens fails well within the test's own. */
const STEP_TIMEOUT_MS = 15_000;

describe('the API docs in a real browser: Swagger UI at /api/docs tried as a person would', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let folder: string;
  let browser: BrowserContext;
  let page: Page;
  let failed = false;

  beforeAll(async () => {
    slapd = await Slapd.start();
    ({ app } = await startSecurityApi(demoEnvironment(slapd.url)));
    await app.listen(0, '127.0.0.1');
    folder = await mkdtemp(join(tmpdir(), 'api-docs-browser-'));
    browser = await launchChromium(join(folder, 'profile'));
    page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const { port } = app.getHttpServer().address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/api/docs`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await slapd?.destroy();
    if (folder) {
      // A failure's screenshot stays for whoever reads the error.
      await rm(failed ? join(folder, 'profile') : folder, { recursive: true, force: true });
    }
  });

  /** Runs the steps of a test; on failure, a screenshot of the page goes into the test's folder, named in the error. */
  async function inBrowser(name: string, steps: () => Promise<void>): Promise<void> {
    try {
      await steps();
    } catch (error) {
      failed = true;
      const screenshot = join(folder, `${name}.png`);
      await page.screenshot({ path: screenshot, fullPage: true }).catch(() => undefined);
      throw new Error(`${(error as Error).message}\nScreenshot of the page: ${screenshot}`, { cause: error });
    }
  }

  /** Expands the operation and presses "Try it out". */
  async function tryOut(operationId: string): Promise<Locator> {
    const operation = page.locator(`#operations-security-${operationId}`);
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    return operation;
  }

  /** Presses Execute and reads the status of the answer the page shows, and the URL it says it requested. */
  async function execute(operation: Locator): Promise<{ status: string; url: string; body: string }> {
    await operation.getByRole('button', { name: 'Execute' }).click();
    const answer = operation.locator('.live-responses-table .response');
    await answer.waitFor();
    return {
      status: (await answer.locator('.response-col_status').innerText()).trim(),
      url: (await operation.locator('.request-url pre').innerText()).trim(),
      body: await answer.locator('.response-col_description').innerText(),
    };
  }

  const userParameter = (operation: Locator): Locator =>
    operation.locator('tr[data-param-name="userIdentifier"] input[type="text"]');
  const groupItems = (operation: Locator): Locator =>
    operation.locator('tr[data-param-name="groupIdentifiers"] .json-schema-form-item input');

  it('authorises with Basic credentials from the Authorize dialog', async () => {
    await inBrowser('authorize', async () => {
      await page.locator('.scheme-container').getByRole('button', { name: 'Authorize' }).click();
      await page.getByLabel('auth-basic-username').fill('sysadmin');
      await page.getByLabel('auth-basic-password').fill('admin-secret');
      await page.getByRole('button', { name: 'Apply credentials' }).click();
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      await page.locator('.scheme-container button.authorize.locked').waitFor();
    });
  });

  it('answers 204 to the HEAD check of an OR list entered as two items, sent comma-separated', async () => {
    await inBrowser('or-list', async () => {
      const check = await tryOut('checkMembership');
      await userParameter(check).fill('tdurden');
      await groupItems(check).first().fill('Loners');
      await check.getByRole('button', { name: 'Add string item' }).click();
      await groupItems(check).nth(1).fill('Liposuction Technicians');
      const answer = await execute(check);
      expect(answer.url).toMatch(/\/api\/security\/users\/tdurden\/groups\/Loners,Liposuction%20Technicians$/);
      expect(answer.status).toBe('204');
    });
  });

  it('answers 200 to the GET check of a name with a comma inside, picked from the examples', async () => {
    await inBrowser('comma-in-name', async () => {
      const explain = await tryOut('explainMembership');
      await userParameter(explain).fill('tdurden');
      await explain
        .locator('tr[data-param-name="groupIdentifiers"] .examples-select select')
        .selectOption({ label: 'A comma inside a name' });
      const answer = await execute(explain);
      expect(answer.url).toMatch(/\/groups\/Smith%2C%20Jones$/);
      expect(answer.status).toBe('200');
      expect(answer.body).toContain('"name": "Smith, Jones"');
    });
  });

  it('answers 200 to forward-auth tried with its examples as they stand', async () => {
    await inBrowser('forward-auth', async () => {
      const answer = await execute(await tryOut('forwardAuth'));
      expect(answer.url).toMatch(
        /\/forward-auth\?group=Paper%20Street%20Soap%20Company&group=Smith%2C%20Jones&user=tdurden$/,
      );
      expect(answer.status).toBe('200');
    });
  });
});
