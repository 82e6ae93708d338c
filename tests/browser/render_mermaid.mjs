// Renders Mermaid files with the real Mermaid library in headless Chromium
// and prints one JSON document of what happened (tests/outputs/test_mermaid_browser.py
// judges it).
//
//   node render_mermaid.mjs [--screenshots DIR] FILE.mmd...
//
// For every file and every bundled Mermaid version: did `mermaid.parse`
// accept it, did `mermaid.render` produce an SVG, and what the SVG holds
// once inserted in a page (its text, any element or attribute that could
// run or link).
import { launch, screenshotFolder } from './browser.mjs';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const MERMAIDS = [
  ['mermaid', join(here, 'node_modules/mermaid/dist/mermaid.min.js')],
  ['mermaid12', join(here, 'node_modules/mermaid12/dist/mermaid.min.js')],
];

const [shots, argv] = screenshotFolder('--screenshots');

const browser = await launch();
const results = [];
try {
  for (const [label, script] of MERMAIDS) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url()); });
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ content: readFileSync(script, 'utf8') });
    const version = await page.evaluate(() => {
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      return mermaid.version ? mermaid.version() : (mermaid.mermaidAPI.getConfig && 'unknown');
    });
    let n = 0;
    for (const file of argv) {
      const text = readFileSync(file, 'utf8');
      consoleErrors.length = 0;
      n += 1;
      const r = await page.evaluate(async ({ text, id }) => {
        const out = { parsed: false, svg: false, error: null };
        try {
          const p = await mermaid.parse(text);
          out.parsed = p !== false;
          out.diagramType = p && p.diagramType;
        } catch (e) {
          out.error = 'parse: ' + (e && e.message ? e.message : String(e));
          return out;
        }
        try {
          const { svg } = await mermaid.render(id, text);
          const host = document.getElementById('out');
          host.innerHTML = svg;  // as a page embedding Mermaid's output does
          const root = host.querySelector('svg');
          out.svg = !!root && svg.startsWith('<svg');
          out.svgLength = svg.length;
          const copy = root.cloneNode(true);
          copy.querySelectorAll('style').forEach((e) => e.remove());
          out.text = copy.textContent;
          out.errorText = /Syntax error|Parse error/i.test(host.textContent);
          out.dangerous = [...host.querySelectorAll('script, a, img, iframe, object, embed, table, form, input, use[href^="http"], image')]
            .map((e) => e.outerHTML.slice(0, 200));
          const attrs = [];
          for (const el of host.querySelectorAll('*')) {
            for (const a of el.attributes) {
              const v = a.value.toLowerCase();
              if (a.name.toLowerCase().startsWith('on') || v.includes('javascript:') || a.name === 'href' || a.name === 'xlink:href' || a.name === 'src') {
                attrs.push(`${el.tagName} ${a.name}=${a.value.slice(0, 80)}`);
              }
            }
          }
          out.dangerousAttributes = attrs;
          // every element that holds text, with its tag: user text must never become an element
          out.tags = [...new Set([...host.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()))].sort();
          const bbox = root.getBBox();
          out.size = [Math.round(bbox.width), Math.round(bbox.height)];
        } catch (e) {
          out.error = 'render: ' + (e && e.message ? e.message : String(e));
        }
        return out;
      }, { text, id: `d${n}` });
      if (shots && r.svg) {
        const el = await page.$('#out svg');
        if (el) await el.screenshot({ path: join(shots, `${label}-${basename(file)}.png`) });
      }
      results.push({ file, mermaid: label, version, ...r, consoleErrors: [...consoleErrors] });
    }
    results.push({ file: null, mermaid: label, version, requests });
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1) + '\n');
