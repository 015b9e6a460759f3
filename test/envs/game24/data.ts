import { join } from 'node:path';

/** The shared public data folder, found from this file so tests run from any working directory. */
export const TOT_DATA = join(import.meta.dirname, '../../../../shared/data/tot');
export const TOT_CSV = join(TOT_DATA, '24.csv');
