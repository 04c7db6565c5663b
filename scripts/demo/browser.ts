// Chromium for the browser tests and the render benchmark: Debian's package (/usr/bin/chromium, or
// CHROMIUM_PATH), driven by playwright-core. Never a browser download at run time.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath());
}

/** Flags that keep Chromium to itself: no sandbox (CI runs as root), no GPU, no network beyond loopback. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage'
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`
    );
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}
