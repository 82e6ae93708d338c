import { chromium } from 'playwright-core';
const [,, url, out, w, ...sels] = process.argv;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
const c = await b.newContext({ viewport: { width: Number(w || 1400), height: 900 }, offline: true });
const p = await c.newPage();
await p.goto(url);
console.log(await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]));
let i = 0;
for (const s of sels) { const el = p.locator(s).first(); await el.screenshot({ path: out.replace('.png', `.${i++}.png`) }); }
if (!sels.length) await p.screenshot({ path: out, fullPage: false });
await b.close();
