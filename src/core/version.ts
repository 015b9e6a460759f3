import { readFileSync } from 'node:fs';

/** The package version, recorded with every run and in every store file it creates. */
export const STEPWISE_VERSION: string = readStepwiseVersion();

function readStepwiseVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    // A bundled or relocated copy may lack package.json; the version is informational only.
    return 'unknown';
  }
}
