// Opens journeyc outputs (HTML reports, SVG views) in headless Chromium at
// 1,400 px wide and prints one JSON document of what the browser laid out:
// the page's scroll width against its client width (horizontal overflow),
// console messages and page errors. With --screenshot-dir DIR, it also
// saves a full-page PNG of each (an SVG is shown alone on an HTML page).
//
//   node check_views.mjs [--screenshot-dir DIR] FILE...
import { WIDTH, launch, screenshotFolder } from './browser.mjs';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';


const [shots, argv] = screenshotFolder('--screenshot-dir');

const browser = await launch();
const results = [];
try {
  for (const file of argv) {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 1000 }, offline: true });
    const page = await context.newPage();
    const consoleMessages = [];
    const pageErrors = [];
    page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
    const size = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      height: document.documentElement.scrollHeight,
    }));
    let screenshot = null;
    if (shots) {
      screenshot = join(shots, basename(file).replace(/\.(html|svg)$/, '') + '.png');
      if (file.endsWith('.svg')) {
        // a full-page screenshot of a bare SVG document never settles: show it on a page
        const svg = readFileSync(file, 'utf-8').replace(/^<\?xml[^>]*>\s*/, '').replace(/<!DOCTYPE[^>]*>\s*/, '');
        await page.goto('about:blank');
        await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
      }
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    results.push({ file, viewport: WIDTH, ...size, consoleMessages, pageErrors, screenshot });
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1) + '\n');
