// The resident portal in chromium: login with the card from a PC (RFC 8628: the page shows a code, the card app
// shows the portal and the time before the PIN), her record byte-exact with the number masked, the access log,
// then "suspend my card now" — which logs her out everywhere (a second browser's session too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PORTAL, REGISTRY, browser, phonePage, screenshot, axeSerious, card, residentWithCard } from './suite.mjs';

const FAMILY = '渡邉';
const GIVEN = '𠮷乃';
let b;
let resident;

before(async () => {
  b = await browser();
  resident = await residentWithCard({ familyName: FAMILY, givenName: GIVEN, familyNameKana: 'ワタナベ',
    givenNameKana: 'ヨシノ', dateOfBirth: '1979-11-03', sex: 'female' });
});

after(async () => { await b?.close(); });

/** Logs in on this page with the card; returns what the card app showed before the PIN. */
async function loginWithCard(page) {
  await page.goto(`${PORTAL}/me`);
  assert.equal(await page.locator('#family-name').count(), 0, 'nothing personal before login');
  await page.click('#start-login');
  const code = (await page.textContent('#user-code')).trim();
  assert.match(code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  const shown = card('approve-login', `--card=${resident.file}`, `--registry=${REGISTRY}`, `--code=${code}`, '--pin=1234');
  await page.waitForURL(`${PORTAL}/me`, { timeout: 15000 });
  await page.waitForSelector('#family-name', { timeout: 15000 });
  return { code, shown };
}

test('a resident logs in with her card, reads who touched her data, suspends the card and is logged out everywhere', async () => {
  const page = await phonePage(b);
  await page.goto(`${PORTAL}/me`);
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-login');
  await page.click('#start-login');
  await screenshot(page, 'portal-code');
  assert.deepEqual(await axeSerious(page), []);
  const code = (await page.textContent('#user-code')).trim();
  const shown = card('approve-login', `--card=${resident.file}`, `--registry=${REGISTRY}`, `--code=${code}`, '--pin=1234');
  // The card app said where and when BEFORE it signed (RFC 8628 §5.4): the portal's registered name, the code, the time.
  const lines = shown.split('\n');
  assert.match(lines[0], /Log in to: +マイナポータル（デモ）/);
  assert.match(shown, new RegExp(`Code: +${code}`));
  assert.match(shown, /Started at: +\d{4}-\d{2}-\d{2}T/);
  assert.ok(shown.indexOf('Started at') < shown.indexOf('approved'));
  try {
    await page.waitForSelector('#family-name', { timeout: 15000 });
  } catch (e) {
    await screenshot(page, 'portal-failure');
    const status = await page.request.get(`${PORTAL}/me/login/status`);
    throw new Error(`${e.message}\npage: ${(await page.content()).slice(0, 3000)}\nstatus: ${status.status()} ${await status.text()}`);
  }
  assert.deepEqual(Buffer.from(await page.textContent('#family-name')), Buffer.from(FAMILY));
  assert.deepEqual(Buffer.from(await page.textContent('#given-name')), Buffer.from(GIVEN));
  assert.equal(await page.textContent('#masked-number'), `**** **** ${resident.number.slice(8)}`);
  assert.ok(!(await page.content()).includes(resident.number), 'the full number is never on the page');
  // Her points come from the wallet with a token the portal got by exchange (RFC 8693): no second card signature.
  assert.equal((await page.textContent('#points-balance')).trim(), '0');
  assert.deepEqual(page.cspViolations, [], 'the polling script ran under the strict CSP');
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-record');

  await page.click('#access-log-link');
  await page.waitForSelector('#access-log');
  assert.match(await page.textContent('#access-log'), /demo-clerk/, 'the clerk who registered her is in her log');
  await page.fill('#organisation', 'demo-clerk');
  await page.click('form.filters button');
  await page.waitForSelector('#access-log');
  const whoCells = await page.locator('#access-log td.who-cell').allTextContents();
  assert.ok(whoCells.length > 0 && whoCells.every(w => w.includes('demo-clerk')), `filtered: ${whoCells}`);
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-access-log');

  // A second browser (her other PC) logged in too: suspending from the first ends both.
  const other = await phonePage(b);
  await loginWithCard(other);

  await page.goto(`${PORTAL}/me`);
  await page.click('#suspend');
  await page.waitForSelector('#start-login');
  assert.match(await page.textContent('#problem'), /一時停止しました/);
  assert.match(await page.textContent('#problem'), /card-suspended-by-you/);
  await screenshot(page, 'portal-suspended');

  await other.goto(`${PORTAL}/me`);
  assert.equal(await other.locator('#family-name').count(), 0, 'the other session ended too');
  assert.equal(await other.locator('#start-login').count(), 1);
});
