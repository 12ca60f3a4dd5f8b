// The running suite as the tests use it: REST set-up (as clerks and insurers would do it), the card simulator's
// CLI (as the card and its reader), and the browser (Debian's chromium driven by playwright-core).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomInt } from 'node:crypto';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../../..');
export const REGISTRY = process.env.MYNA_REGISTRY_URL ?? 'http://localhost:8081';
export const WALLET = process.env.MYNA_WALLET_URL ?? 'http://localhost:8082';
export const INSURANCE = process.env.MYNA_INSURANCE_URL ?? 'http://localhost:8083';
export const PORTAL = process.env.MYNA_PORTAL_URL ?? 'http://localhost:8084';
export const SHOTS = process.env.MYNA_SCREENSHOTS ?? join(ROOT, 'portal/target/screenshots');
export const CLINIC = '1312345678';
const PIN = '1234';
const PASSWORD = 'abc123';
const work = mkdtempSync(join(tmpdir(), 'myna-browser-'));

function cardJar() {
  if (process.env.MYNA_CARD_JAR) return process.env.MYNA_CARD_JAR;
  const dir = join(ROOT, 'card-simulator/target');
  const jar = existsSync(dir) && readdirSync(dir).find(f => /^card-simulator-.*-cli\.jar$/.test(f));
  if (!jar) throw new Error('card simulator CLI jar missing: ./mvnw package -pl card-simulator -DskipTests');
  return join(dir, jar);
}

/** The card simulator's CLI; data as --option=value so a nonce starting with '-' is never an option. */
export function card(...args) {
  return execFileSync('java', ['-XX:TieredStopAtLevel=1', '-jar', cardJar(), ...args], { encoding: 'utf8' }).trim();
}

async function http(method, url, { token, json, form, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  if (form) { body = new URLSearchParams(form); }
  const r = await fetch(url, { method, headers: h, body, redirect: 'manual' });
  const text = await r.text();
  let data;
  try { data = text ? JSON.parse(text) : {}; } catch { data = { text }; }
  return { status: r.status, data, headers: r.headers };
}

export async function expectStatus(promise, status, what) {
  const r = await promise;
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.data)}`);
  return r.data;
}

export async function token(client) {
  const r = await expectStatus(http('POST', `${REGISTRY}/oauth2/token`,
    { form: { grant_type: 'client_credentials', client_id: client, client_secret: `${client}-secret` } }), 200, `token ${client}`);
  return r.access_token;
}

export const digits = n => Array.from({ length: n }, () => randomInt(10)).join('');
const idem = () => randomBytes(16).toString('hex');

function corporateNumber(base) {
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return `${9 - (sum % 9)}${base}`;
}

function insurerNumber(base) {
  let sum = 0;
  for (let i = 0; i < base.length; i++) {
    const p = Number(base[base.length - 1 - i]) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(p / 10) + (p % 10);
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}

export const address = { postalCode: '100-0001', prefecture: '東京都', municipality: '千代田区', line: '千代田1-1' };

/** A resident registered by a clerk, with an active card made by the card simulator. */
export async function residentWithCard(person) {
  const clerk = await token('demo-clerk');
  const resident = await expectStatus(http('POST', `${REGISTRY}/api/residents`,
    { token: clerk, json: { ...person, address }, headers: { 'Idempotency-Key': idem() } }), 201, 'resident');
  const file = join(work, `${randomBytes(6).toString('hex')}.card`);
  card('create', `--card=${file}`, `--pin=${PIN}`, `--password=${PASSWORD}`, '--force');
  const app = await expectStatus(http('POST', `${REGISTRY}/api/card-applications`,
    { token: clerk, json: { number: resident.number } }), 201, 'card application');
  const csrs = JSON.parse(card('request', `--card=${file}`, `--application=${app.applicationId}`, `--pin=${PIN}`, `--password=${PASSWORD}`));
  const issued = await expectStatus(http('POST', `${REGISTRY}/api/card-applications/${app.applicationId}/issuance`,
    { token: clerk, json: csrs }), 200, 'issuance');
  const issuance = join(work, `${randomBytes(6).toString('hex')}.json`);
  writeFileSync(issuance, JSON.stringify(issued));
  card('install', `--card=${file}`, `--issuance=${issuance}`);
  const signature = card('activate', `--card=${file}`, `--pin=${PIN}`, `--challenge=${issued.activationChallenge}`);
  await expectStatus(http('POST', `${REGISTRY}/api/cards/${issued.cardId}/activation`,
    { token: clerk, json: { signature } }), 200, 'activation');
  return { number: resident.number, cardId: issued.cardId, file, person };
}

/** An insurer (fresh) enrols the resident as a member, linked by the registry on all five attributes. */
export async function insuredMember(resident, { copayRate = 30, coverageEnd } = {}) {
  const insurer = await token('demo-insurer');
  const number = insurerNumber(`06${digits(5)}`);
  await expectStatus(http('POST', `${INSURANCE}/api/insurers`, { token: insurer,
    json: { insurerNumber: number, name: '全国健康保険協会テスト支部', corporateNumber: corporateNumber(digits(12)) } }), 201, 'insurer');
  const member = await expectStatus(http('POST', `${INSURANCE}/api/insurers/${number}/members`, { token: insurer,
    json: { ...resident.person, address, symbol: `記号${digits(3)}`, number: digits(6), branch: '01', copayRate,
      coverageStart: '2020-04-01', ...(coverageEnd ? { coverageEnd } : {}), individualNumber: resident.number } }), 201, 'member');
  if (member.link?.status !== 'linked') throw new Error(`member not linked: ${JSON.stringify(member.link)}`);
  return { insurerNumber: number, memberId: member.id, symbol: member.symbol, number: member.number, branch: member.branch, insurerToken: insurer };
}

export async function eligibilityCertificate(member) {
  const c = await expectStatus(http('POST', `${INSURANCE}/api/eligibility-certificates`, { token: member.insurerToken,
    json: { insurerNumber: member.insurerNumber, memberId: member.memberId } }), 201, 'eligibility certificate');
  return c.certificateNumber;
}

export async function revokeCard(resident, reason = 'lost') {
  const clerk = await token('demo-clerk');
  await expectStatus(http('POST', `${REGISTRY}/api/cards/${resident.cardId}/revocation`,
    { token: clerk, json: { reason } }), 200, 'revocation');
}

export { http };

/** Debian's chromium, headless; `npx playwright install` cannot download browsers here. */
export async function browser() {
  const executablePath = process.env.CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!executablePath) throw new Error('chromium is not installed (apt-get install chromium)');
  return chromium.launch({ executablePath, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** A phone-sized page in Japanese, as a receptionist's tablet or a resident's phone would open it. */
export async function phonePage(b) {
  const context = await b.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const violations = [];
  page.on('console', m => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
  page.cspViolations = violations;
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(join(here, '../node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it stands; serious and critical violations fail the test. */
export async function axeSerious(page) {
  // Injected through the DevTools protocol's script evaluation, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
}
