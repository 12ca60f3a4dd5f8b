// The resident's insurance, her access log a page at a time, and the login's QR code, in chromium against the real
// services: coverage exactly as a clinic sees it (the exotic name byte-exact), the clinic checks made with her card
// and her eligibility certificate, paging through more than one page of her log, and the QR code on the code page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PORTAL, REGISTRY, INSURANCE, CLINIC, browser, phonePage, screenshot, axeSerious, card, residentWithCard,
  insuredMember, eligibilityCertificate, token, http, expectStatus } from './suite.mjs';

const FAMILY = '髙橋';
const GIVEN = '葛󠄀子';
let b;
let resident;
let member;

before(async () => {
  b = await browser();
  resident = await residentWithCard({ familyName: FAMILY, givenName: GIVEN, familyNameKana: 'タカハシ',
    givenNameKana: 'カツコ', dateOfBirth: '1984-02-29', sex: 'female' });
  member = await insuredMember(resident, { copayRate: 20 });
  // Two clinic checks: one with her card at the counter (the card signs the clinic's nonce), one by her certificate.
  const facility = await token('demo-facility');
  const headers = { 'X-Institution-Code': CLINIC };
  const challenge = await expectStatus(http('POST', `${INSURANCE}/api/eligibility/challenges`, { token: facility, headers }),
    201, 'challenge');
  const signed = JSON.parse(card('present', `--card=${resident.file}`, '--pin=1234', `--challenge=${challenge.nonce}`));
  await expectStatus(http('POST', `${INSURANCE}/api/eligibility/card-checks`, { token: facility, headers,
    json: { challengeId: challenge.challengeId, ...signed } }), 200, 'card check');
  const certificateNumber = await eligibilityCertificate(member);
  await expectStatus(http('POST', `${INSURANCE}/api/eligibility/certificate-checks`, { token: facility, headers,
    json: { certificateNumber } }), 200, 'certificate check');
});

after(async () => { await b?.close(); });

async function login(page) {
  await page.goto(`${PORTAL}/me`);
  await page.click('#start-login');
  await page.waitForSelector('#user-code');
  const code = (await page.textContent('#user-code')).trim();
  card('approve-login', `--card=${resident.file}`, `--registry=${REGISTRY}`, `--code=${code}`, '--pin=1234');
  await page.waitForSelector('#family-name', { timeout: 15000 });
}

test('the code page shows a QR code beside the code, under the strict CSP', async () => {
  const page = await phonePage(b);
  await page.goto(`${PORTAL}/me`);
  await page.click('#start-login');
  await page.waitForSelector('#login-qr');
  const code = (await page.textContent('#user-code')).trim();
  const qr = page.locator('#login-qr');
  assert.ok(await qr.isVisible(), 'the QR code is visible');
  const box = await qr.boundingBox();
  assert.ok(box.width >= 150 && Math.abs(box.width - box.height) < 1, `a square QR code of readable size: ${JSON.stringify(box)}`);
  assert.equal(await qr.getAttribute('role'), 'img');
  assert.match(await page.textContent('#qr-caption'), /QR/);
  // Dark modules drawn: the path is not empty (its decoding is proven by ResidentCareTest with ZXing).
  assert.ok((await page.locator('#login-qr path').getAttribute('d')).length > 1000);
  assert.match(code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.deepEqual(page.cspViolations, []);
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-code-qr');
  await page.context().close();
});

test('my insurance shows the coverage as a clinic sees it and the checks made with my card', async () => {
  const page = await phonePage(b);
  await login(page);
  await page.click('#insurance-link');
  await page.waitForSelector('#coverage-1');
  const coverage = page.locator('#coverage-1');
  assert.deepEqual(Buffer.from(await coverage.locator('.coverage-family-name').textContent()), Buffer.from(FAMILY));
  assert.deepEqual(Buffer.from(await coverage.locator('.coverage-given-name').textContent()), Buffer.from(GIVEN));
  assert.match(await coverage.locator('.coverage-insurer').textContent(), new RegExp(`全国健康保険協会テスト支部 \\(${member.insurerNumber}\\)`));
  assert.equal((await coverage.locator('.coverage-copay').textContent()).trim(), '20%');
  assert.match(await coverage.locator('.coverage-validity').textContent(), /2020-04-01/);
  assert.match(await coverage.locator('.coverage-status').textContent(), /資格あり/);
  const checks = await page.locator('#checks tbody tr').allTextContents();
  assert.equal(checks.length, 2, `two clinic checks: ${checks}`);
  assert.ok(checks.some(r => r.includes('マイナンバーカード') && r.includes(CLINIC)), `the card check: ${checks}`);
  assert.ok(checks.some(r => r.includes('資格確認書')), `the certificate check: ${checks}`);
  assert.ok(!(await page.content()).includes(resident.number));
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-insurance');
  await page.context().close();
});

test('the access log is read a page at a time, with the filters kept on every page', async () => {
  const page = await phonePage(b);
  await login(page);
  await page.click('#access-log-link');
  await page.waitForSelector('#access-log');
  await page.fill('#from', '2020-01-01');
  await page.click('form.filters button');
  await page.waitForSelector('#access-log');
  const seen = [];
  let pages = 0;
  for (;;) {
    pages++;
    const rows = await page.locator('#access-log tbody tr').allTextContents();
    seen.push(...rows);
    assert.equal(await page.inputValue('#from'), '2020-01-01', 'the filter is kept');
    if (pages === 2) {
      assert.deepEqual(await axeSerious(page), []);
      await screenshot(page, 'portal-access-log-page-2');
    }
    if (await page.locator('#next-page').count() === 0) break;
    await page.click('#next-page');
    await page.waitForSelector('#first-page');
    assert.ok(pages < 20);
  }
  assert.ok(pages >= 2, `more than one page (${seen.length} rows in ${pages} pages)`);
  assert.equal(new Set(seen).size, seen.length, 'no row twice across pages');
  assert.ok(seen.some(r => r.includes('demo-clerk')), 'the clerk who registered her is in her log');
  await page.click('#first-page');
  await page.waitForSelector('#access-log');
  assert.equal(await page.locator('#first-page').count(), 0, 'back on the newest page');
  await page.context().close();
});
