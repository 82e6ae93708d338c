// Loads journeyc HTML reports in headless Chromium and prints one JSON
// document of what happened (tests/outputs/test_report_browser.py judges it):
// console messages, page errors, every request beyond the file itself, and
// the structure of the page as the browser built it.
//
//   node check_report.mjs [--screenshot-dir DIR] REPORT.html...
import { WIDTH, launch, screenshotFolder } from './browser.mjs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';


const [shots, argv] = screenshotFolder('--screenshot-dir');

const browser = await launch();
const results = [];
try {
  for (const file of argv) {
    const url = pathToFileURL(resolve(file)).href;
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 1000 }, offline: true });
    const page = await context.newPage();
    const consoleMessages = [];
    const pageErrors = [];
    const requests = [];
    page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
    page.on('dialog', (d) => { pageErrors.push('dialog: ' + d.message()); d.dismiss(); });
    const response = await page.goto(url, { waitUntil: 'load' });
    const dom = await page.evaluate(() => {
      const text = (el) => (el ? el.textContent.trim() : null);
      const journeys = [...document.querySelectorAll('section.journey[id^="journey-"]')].map((s) => {
        const stages = s.querySelector('table.stages');
        const coverage = s.querySelector('table.coverage');
        const findings = s.querySelector('table.findings');
        const svg = s.querySelector('.diagram svg');
        return {
          id: s.id,
          title: text(s.querySelector('h2')),
          headings: [...s.querySelectorAll('h3')].map((h) => h.firstChild ? h.firstChild.textContent.trim() : ''),
          stageRows: stages ? [...stages.querySelectorAll('tbody tr')].map((tr) => ({
            name: text(tr.querySelector('.stage-name')),
            phase: tr.getAttribute('data-phase'),
            cells: [...tr.children].map((c) => c.textContent.trim()),
          })) : null,
          stageHeader: stages ? [...stages.querySelectorAll('thead th')].map((th) => th.textContent.trim()) : null,
          coverageHeader: coverage ? [...coverage.querySelectorAll('thead th')].map((th) => th.textContent.trim()) : null,
          coverageRows: coverage ? coverage.querySelectorAll('tbody tr').length : null,
          coverageCaption: coverage ? text(coverage.querySelector('caption')) : null,
          coverageFoot: coverage ? [...coverage.querySelectorAll('tfoot td')].map((td) => td.className) : null,
          measurementCards: [...s.querySelectorAll('.cards .card h4')].map((h) => h.textContent.trim()),
          findingRows: findings ? [...findings.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())) : [],
          noFindings: !!s.querySelector('.none-found'),
          svg: svg ? { width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height,
            texts: [...svg.querySelectorAll('text')].map((t) => t.textContent) } : null,
        };
      });
      const all = [...document.querySelectorAll('*')];
      const dangerousAttributes = [];
      for (const el of all) {
        for (const a of el.attributes) {
          const n = a.name.toLowerCase();
          const v = a.value.toLowerCase();
          if (n.startsWith('on') || v.includes('javascript:') || n === 'src' || n === 'xlink:href' ||
              (n === 'href' && !a.value.startsWith('#'))) {
            dangerousAttributes.push(`${el.tagName} ${a.name}=${a.value.slice(0, 80)}`);
          }
        }
      }
      return {
        title: document.title,
        h1: text(document.querySelector('h1')),
        csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
        tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))].sort(),
        scripts: document.querySelectorAll('script').length,
        dangerous: [...document.querySelectorAll('script, iframe, object, embed, img, image, form, input:not(.fit-toggle), a[href]:not([href^="#"]), link, base, video, audio')]
          .map((e) => e.outerHTML.slice(0, 160)),
        dangerousAttributes,
        bodyText: document.body.innerText,
        journeys,
        other: !!document.getElementById('other-findings'),
        otherRows: [...document.querySelectorAll('#other-findings table.findings tbody tr')].length,
        width: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      };
    });
    // the CSS-only "Fit to width" toggle of the first diagram
    const fit = await page.evaluate(() => {
      const box = document.querySelector('.diagram');
      const svg = box && box.querySelector('svg');
      return svg ? { box: box.clientWidth, before: svg.getBoundingClientRect().width } : null;
    });
    if (fit) {
      await page.click('.fit-label');
      fit.after = await page.evaluate(() => document.querySelector('.diagram svg').getBoundingClientRect().width);
    }
    if (shots) {
      await page.screenshot({ path: join(shots, basename(file) + '.png'), fullPage: true });
      await page.screenshot({ path: join(shots, basename(file) + '.top.png') });
    }
    results.push({ file, status: response ? response.status() : null, consoleMessages, pageErrors, requests, fit, ...dom });
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1) + '\n');
