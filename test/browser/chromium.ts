import { chromiumPath, launchChromium } from '../../src/envs/browser/chromium.ts';

/** Debian's Chromium (`apt-get install chromium`); `.ci/run` installs it when missing. */
export const CHROMIUM_PATH = chromiumPath();

/** Launches headless Chromium for browser tests (the environment's own launcher); fails with what to install when it is missing. */
export { launchChromium };
