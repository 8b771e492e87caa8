// Loads the shop through the balancer in headless Chromium, places an order, checks it shows in "My orders",
// and saves screenshots. Usage: BASE_URL=http://127.0.0.1:8080 OUT_DIR=./out node check.mjs
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const outDir = process.env.OUT_DIR ?? join(process.cwd(), 'out');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(outDir, { recursive: true });

const fail = (message) => { console.error('FAIL: ' + message); process.exitCode = 1; };

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'foobar-chromium-')), {
  executablePath,
  headless: true,
  viewport: { width: 1200, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  timeout: 30_000,
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15_000);

  const home = await page.goto(base + '/');
  if (home.status() !== 200) fail(`home page answered ${home.status()}`);
  const servedHome = home.headers()['x-served-by'];
  const cards = await page.locator('article.product').count();
  console.log(`home: ${home.status()}, ${cards} products, X-Served-By ${servedHome}, X-Db-Node ${home.headers()['x-db-node']}`);
  console.log(`footer: ${await page.locator('footer').innerText()}`.replace(/\s+/g, ' '));
  if (cards === 0) fail('no products on the home page');
  await page.screenshot({ path: join(outDir, 'home.png'), fullPage: true });

  const first = page.locator('article.product').first();
  const productName = (await first.locator('h2').innerText()).trim();
  await first.locator('input[name=quantity]').fill('2');
  await Promise.all([
    page.waitForURL(/\/orders\?placed=\d+/),
    first.locator('button[type=submit]').click(),
  ]);
  const orderId = new URL(page.url()).searchParams.get('placed');
  console.log(`ordered 2 x "${productName}": order #${orderId}`);

  const flash = page.locator('#placed');
  if (!(await flash.isVisible())) fail('the "order placed" notice is missing');
  const row = page.locator(`tr.order[data-order-id="${orderId}"]`);
  if (await row.count() !== 1) fail(`order #${orderId} is not in My orders`);
  else console.log(`my orders row: ${(await row.innerText()).replace(/\s+/g, ' ')}`);
  console.log(`footer: ${await page.locator('footer').innerText()}`.replace(/\s+/g, ' '));
  await page.screenshot({ path: join(outDir, 'my-orders.png'), fullPage: true });

  // Reload a few times: the balancer alternates web servers and the order stays visible on both.
  const servedBy = new Set();
  for (let i = 0; i < 4; i++) {
    const r = await page.goto(base + '/orders');
    servedBy.add(r.headers()['x-served-by']);
    if (await page.locator(`tr.order[data-order-id="${orderId}"]`).count() !== 1) {
      fail(`order #${orderId} missing on reload ${i} (served by ${r.headers()['x-served-by']})`);
    }
  }
  console.log(`reloads of My orders served by: ${[...servedBy].join(', ')}`);
  console.log(process.exitCode ? 'browser check FAILED' : 'browser check passed; screenshots in ' + outDir);
} finally {
  await context.close();
}
