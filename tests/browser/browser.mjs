// What the browser scripts share: headless Chromium as the tests run it
// (JOURNEYC_CHROMIUM overrides the path), the viewport width, and the
// screenshot-folder option taken off the front of the arguments.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const WIDTH = 1400;
const CHROMIUM = process.env.JOURNEYC_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

// [folder or null, the other arguments] for `OPTION DIR FILE...` or `FILE...`
export function screenshotFolder(option) {
  const argv = process.argv.slice(2);
  if (argv[0] !== option) return [null, argv];
  mkdirSync(argv[1], { recursive: true });
  return [argv[1], argv.slice(2)];
}
