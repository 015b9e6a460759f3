import { readFileSync } from 'node:fs';

/** The package version, recorded with every run. */
export const STEPWISE_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
