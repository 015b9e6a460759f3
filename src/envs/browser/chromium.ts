import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { UsageError } from '../../core/errors.ts';

/** Debian's Chromium (`apt-get install chromium`), or STEPWISE_CHROMIUM; playwright-core downloads no browser. */
export function chromiumPath(): string {
  return process.env.STEPWISE_CHROMIUM ?? '/usr/bin/chromium';
}

/** The flags this machine's Chromium needs headless in a container, and nothing that reaches the network by itself. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches headless Chromium; a clear error says what to install when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const path = chromiumPath();
  if (!existsSync(path)) {
    throw new UsageError(`Chromium not found at ${path}`, { hint: 'install it (apt-get install -y chromium), or set STEPWISE_CHROMIUM to a Chromium binary' });
  }
  // Loaded on first launch, so commands that never open a browser do not pay for playwright-core.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
}
