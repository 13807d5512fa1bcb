import { BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, which scripts/install-prerequisites.sh installs: the tests never download a browser. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium with a fresh profile in `profileDirectory`, which the caller makes and removes, and nothing
 * started that the test did not ask for: no GPU, no background requests, no component updates, no first-run pages.
 */
export function launchChromium(profileDirectory: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDirectory, {
    executablePath: DEBIAN_CHROMIUM,
    headless: true,
    // Chromium's sandbox cannot start as root; playwright passes --no-sandbox when this is false.
    chromiumSandbox: process.getuid?.() !== 0,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
