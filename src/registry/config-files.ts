/** Config files looked for in the working directory, in this order; the first found is loaded. */
export const CONFIG_FILES = ['stepwise.config.ts', 'stepwise.config.js', 'stepwise.config.mjs'];
