// @ts-check
// Debian's Chromium, started headless the way this machine allows.
import { chromium } from 'playwright-core';

import { chromiumPath } from './env.mjs';

/** Starts headless Chromium without the background traffic a closed network refuses. */
export function launchChromium() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
