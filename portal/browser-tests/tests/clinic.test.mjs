// The clinic's reception page in chromium: a covered patient with an exotic name (byte-exact), a revoked card with
// its reason, then the fallbacks; a not-linked card; the page's security headers, CSRF and cookie flags.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PORTAL, CLINIC, browser, phonePage, screenshot, axeSerious, card, residentWithCard, insuredMember,
  eligibilityCertificate, revokeCard } from './suite.mjs';

// 髙 (a variant outside JIS X 0208), 𠮷 (a surrogate pair), 葛󠄀 (葛 + variation selector U+E0100: an IVS).
const FAMILY = '髙葛\u{E0100}';
const GIVEN = '𠮷子';
let b;
let patient;
let member;

before(async () => {
  b = await browser();
  patient = await residentWithCard({ familyName: FAMILY, givenName: GIVEN, familyNameKana: 'タカクズ',
    givenNameKana: 'ヨシコ', dateOfBirth: '1985-06-15', sex: 'female' });
  member = await insuredMember(patient);
});

after(async () => { await b?.close(); });

async function login(page) {
  await page.goto(`${PORTAL}/clinic`);
  await page.fill('#clientId', 'demo-facility');
  await page.fill('#clientSecret', 'demo-facility-secret');
  await page.fill('#institutionCode', CLINIC);
  await Promise.all([page.waitForURL(`${PORTAL}/clinic`), page.click('button[type=submit]')]);
}

/** The receptionist starts a check; the card at the counter signs the nonce after the PIN; the page answers. */
async function checkByCard(page, cardFile) {
  await page.click('#start-card-check');
  const nonce = (await page.textContent('#nonce')).trim();
  const reader = card('present', `--card=${cardFile}`, '--pin=1234', `--challenge=${nonce}`);
  await page.fill('#reader', reader);
  await page.click('form[action="/clinic/card-checks"] button');
  await page.waitForSelector('#result');
}

test('a receptionist checks a covered patient with an exotic name and sees it byte-exact', async () => {
  const page = await phonePage(b);
  await page.goto(`${PORTAL}/clinic`);
  assert.deepEqual(await axeSerious(page), [], 'login page: no serious accessibility violations');
  await screenshot(page, 'clinic-login');
  await login(page);
  await checkByCard(page, patient.file);
  assert.equal(await page.textContent('#result-code'), 'covered');
  assert.equal(await page.textContent('#result-heading'), '資格あり');
  const family = await page.textContent('#family-name');
  const given = await page.textContent('#given-name');
  // Byte-exact: the same UTF-8 bytes as registered (no NFC/NFKC, no "●", the IVS kept).
  assert.deepEqual(Buffer.from(family, 'utf8'), Buffer.from(FAMILY, 'utf8'));
  assert.deepEqual(Buffer.from(given, 'utf8'), Buffer.from(GIVEN, 'utf8'));
  assert.match(await page.textContent('#copay'), /30 %/);
  assert.match(await page.textContent('#insurer'), new RegExp(member.insurerNumber));
  assert.match(await page.textContent('#validity'), /2020-04-01/);
  const html = await page.content();
  assert.ok(!html.includes(patient.number), 'the individual number is never on the page');
  assert.deepEqual(await axeSerious(page), [], 'result page: no serious accessibility violations');
  assert.deepEqual(page.cspViolations, [], 'nothing the CSP had to refuse');
  await screenshot(page, 'clinic-covered');
});

test('a revoked card shows the reason in words, then the fallbacks answer on the same page', async () => {
  const page = await phonePage(b);
  await login(page);
  await revokeCard(patient);
  // The insurance service's card replica hears of the revocation within its bound (2 s): allow it.
  let code;
  for (let i = 0; i < 6; i++) {
    await checkByCard(page, patient.file);
    code = await page.textContent('#result-code');
    if (code === 'card-revoked') break;
    await new Promise(r => setTimeout(r, 1000));
  }
  assert.equal(code, 'card-revoked');
  assert.match(await page.textContent('#reason'), /失効/);
  assert.match(await page.textContent('#result-heading'), /カード以外で確認/);
  assert.equal(await page.locator('.coverage').count(), 0, 'no coverage shown for a refused card');
  await screenshot(page, 'clinic-revoked');

  const certificateNumber = await eligibilityCertificate(member);
  await page.fill('#certificateNumber', certificateNumber);
  await page.click('form[action="/clinic/certificate-checks"] button');
  await page.waitForSelector('#result');
  assert.equal(await page.textContent('#result-code'), 'covered');
  assert.deepEqual(Buffer.from(await page.textContent('#family-name')), Buffer.from(FAMILY));
  await screenshot(page, 'clinic-fallback-certificate');

  await page.fill('#insurerNumber', member.insurerNumber);
  await page.fill('#symbol', member.symbol);
  await page.fill('#number', member.number);
  await page.fill('#branch', member.branch);
  await page.fill('#dateOfBirth', '1985-06-15');
  await page.click('form[action="/clinic/number-checks"] button');
  await page.waitForSelector('#result');
  assert.equal(await page.textContent('#result-code'), 'covered');
  assert.deepEqual(Buffer.from(await page.textContent('#given-name')), Buffer.from(GIVEN));
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'clinic-fallback-number');
});

test('a card not linked to any insurance says so, in English when chosen', async () => {
  const unlinked = await residentWithCard({ familyName: '﨑山', givenName: '太郎', familyNameKana: 'サキヤマ',
    givenNameKana: 'タロウ', dateOfBirth: '1990-01-02', sex: 'male' });
  const page = await phonePage(b);
  await login(page);
  await page.click('a[hreflang=en]');
  await checkByCard(page, unlinked.file);
  assert.equal(await page.textContent('#result-code'), 'not-linked');
  assert.match(await page.textContent('#reason'), /not registered for health insurance/);
  await screenshot(page, 'clinic-not-linked-en');
});

test('the page is served with a strict CSP, and its session cookie is HttpOnly and SameSite=Strict', async () => {
  const page = await phonePage(b);
  const response = await page.goto(`${PORTAL}/clinic`);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  await login(page);
  const cookies = await page.context().cookies();
  const session = cookies.find(c => c.name === 'clinic-session');
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(session.path, '/clinic');
  assert.equal(await page.evaluate(() => document.cookie.includes('clinic-session')), false, 'scripts cannot read it');
  // A form posted from another origin (no CSRF token) changes nothing and is refused.
  const forged = await page.request.post(`${PORTAL}/clinic/card-checks/start`, { form: {}, maxRedirects: 0 });
  assert.equal(forged.status(), 400);
  // Logging out ends the session on the server: the old cookie is worth nothing.
  await page.click('form[action="/clinic/logout"] button');
  await page.context().addCookies([session]);
  await page.goto(`${PORTAL}/clinic`);
  assert.equal(await page.locator('#clientId').count(), 1, 'back at the login form');
});
