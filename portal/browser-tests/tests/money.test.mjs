// The money pages in chromium: her public-fund account (the kana check explained when she enters her father's
// account, then her own, shown masked), a payment-service binding from pending (code shown once) to confirmed, and
// applying for points with her card's approval of that very act, the grant in her history. Each act is approved by
// the card app, which shows the act before the PIN; another resident's card cannot approve it (a relayed code).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PORTAL, REGISTRY, WALLET, browser, phonePage, screenshot, axeSerious, card, residentWithCard, token, http,
  expectStatus, digits } from './suite.mjs';

const KANA_FAMILY = 'タカハシ';
const KANA_GIVEN = 'ミク';
let b;
let resident;
let stranger;

before(async () => {
  b = await browser();
  resident = await residentWithCard({ familyName: '髙橋', givenName: '未來', familyNameKana: KANA_FAMILY,
    givenNameKana: KANA_GIVEN, dateOfBirth: '1992-02-29', sex: 'female' });
  stranger = await residentWithCard({ familyName: '佐藤', givenName: '一郎', familyNameKana: 'サトウ',
    givenNameKana: 'イチロウ', dateOfBirth: '1970-01-01', sex: 'male' });
});

after(async () => { await b?.close(); });

function corporateNumber(base) {
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return `${9 - (sum % 9)}${base}`;
}

async function login(page) {
  await page.goto(`${PORTAL}/me`);
  await page.click('#start-login');
  const code = (await page.textContent('#user-code')).trim();
  card('approve-login', `--card=${resident.file}`, `--registry=${REGISTRY}`, `--code=${code}`, '--pin=1234');
  await page.waitForSelector('#family-name', { timeout: 15000 });
}

/** The outcome on the act's page: the notice expected, or a failure that quotes the page's problem. */
async function notice(page) {
  await page.waitForSelector('#notice-value, #problem', { timeout: 15000 });
  if (await page.locator('#problem').count()) {
    await screenshot(page, 'portal-money-failure');
    throw new Error(`refused: ${await page.locator('#problem').innerText()}`);
  }
  return (await page.textContent('#notice-value')).trim();
}

/** The act page is shown; her card app approves it (after showing it); the page goes on to the act's page. */
async function approveAct(page, { act, back }) {
  await page.waitForURL(`${PORTAL}/me/acts`);
  assert.equal((await page.textContent('#act-what')).trim(), act);
  const code = (await page.textContent('#user-code')).trim();
  const operation = await page.getAttribute('#act-what', 'data-operation');
  const shown = card('approve', `--card=${resident.file}`, `--registry=${REGISTRY}`, `--code=${code}`, '--pin=1234');
  // The act in words and its details came from the registry and were shown BEFORE the PIN was used.
  assert.match(shown, new RegExp(`Act: +.*\\[${operation}\\]`));
  assert.ok(shown.indexOf('Details:') < shown.indexOf('approved'), shown);
  await page.waitForURL(`${PORTAL}${back}`, { timeout: 15000 });
  return shown;
}

test('her account after the kana check, a payment binding pending then confirmed, points applied for with her card', async () => {
  const page = await phonePage(b);
  await login(page);

  // --- the public-fund account: none yet; her father's account is refused and explained in words.
  await page.click('#account-link');
  await page.waitForSelector('#no-account');
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-account');
  const account = digits(7);
  await page.fill('#bankCode', '0001');
  await page.fill('#branchCode', '001');
  await page.fill('#accountNumber', account);
  await page.fill('#holderKana', `${KANA_FAMILY} ケンジ`);
  await page.click('#register-account');
  await page.waitForURL(`${PORTAL}/me/acts`);
  assert.ok(!page.url().includes(account), 'nothing personal in the URL');
  assert.match(await page.textContent('#act-detail'), new RegExp(`\\*{4}${account.slice(4)}`));
  assert.ok(!(await page.content()).includes(account), 'the account number is masked on the act page');
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-act');

  // A relayed code: another resident's card (the relayer's victim, or the relayer) approves nothing.
  const code = (await page.textContent('#user-code')).trim();
  assert.throws(() => card('approve', `--card=${stranger.file}`, `--registry=${REGISTRY}`, `--code=${code}`, '--pin=1234'),
    e => /act-other-resident/.test(String(e.stderr)));

  const shown = await approveAct(page, { act: '公金受取口座を登録する', back: '/me/public-fund-account' });
  assert.match(shown, /Portal: +マイナポータル/);
  assert.ok(!shown.includes(account), 'the card app shows the account number masked');
  await page.waitForSelector('#kana-explained');
  assert.equal((await page.textContent('#kana-entered')).trim(), `${KANA_FAMILY} ケンジ`);
  assert.equal((await page.textContent('#kana-registered')).trim(), `${KANA_FAMILY} ${KANA_GIVEN}`);
  assert.match(await page.textContent('#problem'), /holder-kana-mismatch/);
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-account-kana-refused');

  // Her own name: registered, shown masked.
  await page.fill('#holderKana', `${KANA_FAMILY} ${KANA_GIVEN}`);
  await page.click('#register-account');
  await approveAct(page, { act: '公金受取口座を登録する', back: '/me/public-fund-account' });
  await page.waitForSelector('#account-number');
  assert.equal((await page.textContent('#account-number')).trim(), `****${account.slice(4)}`);
  assert.ok(!(await page.content()).includes(account), 'the account number is never shown whole');
  assert.ok(!(await page.content()).includes(resident.number), 'nor her individual number');
  await screenshot(page, 'portal-account-registered');

  // --- the payment service: chosen with the card, pending with its code shown once, confirmed by the service.
  const provider = await token('demo-payment');
  const service = corporateNumber(digits(12));
  await expectStatus(http('POST', `${WALLET}/api/payment-services`, { token: provider,
    json: { corporateNumber: service, name: 'テスト払い' }, headers: { 'Idempotency-Key': randomBytes(8).toString('hex') } }), 201, 'payment service');
  await page.click('#payment-link');
  await page.waitForSelector('#no-choice');
  await page.fill('#paymentService', service);
  await page.click('#choose');
  await approveAct(page, { act: '決済サービスを選ぶ', back: '/me/payment-service' });
  const bindingCode = await notice(page);
  assert.match(bindingCode, /^[A-Z0-9]{6,12}$/);
  assert.equal(await page.getAttribute('#choice-status', 'data-status'), 'pending');
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-payment-pending');
  await expectStatus(http('POST', `${WALLET}/api/payment-choices/confirmations`, { token: provider,
    json: { bindingCode, paymentAccount: `acct-${digits(6)}`, holderKana: `${KANA_FAMILY} ${KANA_GIVEN}` },
    headers: { 'Idempotency-Key': randomBytes(8).toString('hex') } }), 200, 'confirmation');
  await page.reload();
  assert.equal(await page.getAttribute('#choice-status', 'data-status'), 'confirmed');
  assert.equal(await page.locator('#notice-value').count(), 0, 'the binding code is shown once');
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-payment-confirmed');

  // --- points (her payment service chosen): apply under the public-fund-account rule; the grant is in her history.
  await page.click('#points-link');
  await page.waitForSelector('#points-history');
  await page.selectOption('#rule', 'public-fund-account');
  await page.click('#apply');
  await approveAct(page, { act: 'ポイントを申し込む', back: '/me/points' });
  assert.equal(await notice(page), '7500');
  assert.equal((await page.textContent('#points-balance')).trim(), '7500');
  assert.match(await page.textContent('#points-history'), /付与[\s\S]*公金受取口座の登録[\s\S]*\+7500/);
  assert.deepEqual(page.cspViolations, [], 'the polling script ran under the strict CSP');
  assert.deepEqual(await axeSerious(page), []);
  await screenshot(page, 'portal-points');

  // In English too, with the refusal's code: applying twice for the same rule.
  await page.goto(`${PORTAL}/lang?to=en&back=/me/points`);
  await page.selectOption('#rule', 'public-fund-account');
  await page.click('#apply');
  await approveAct(page, { act: 'Apply for points', back: '/me/points' });
  await page.waitForSelector('#problem');
  assert.match(await page.textContent('#problem'), /already received[\s\S]*already-granted/);
  await screenshot(page, 'portal-points-refused-en');
});
