import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Public benchmark data beside the clone (PlanBench, Tree of Thoughts, papers): CI has it, a fresh clone may not. */
export const SHARED_DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

/** The `skip` option of a test or suite that reads ../shared/data: false when the data is there, else one line saying why. */
export const NEEDS_SHARED_DATA: string | false = existsSync(SHARED_DATA)
  ? false
  : `needs the public benchmark data in ${SHARED_DATA}, absent here (CI has it; README "A tour" says where to get it)`;
