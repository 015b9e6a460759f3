// LangGraph is a benchmark-only dependency installed by bench/setup.sh, so its absence gets a clear message, not a stack trace.
export type LangGraphLoopModule = typeof import('./langgraph-loop.ts');

/** Imports bench/langgraph-loop.ts, or throws saying to run bench/setup.sh when LangGraph is not installed. */
export async function loadLangGraphLoop(): Promise<LangGraphLoopModule> {
  try {
    return await import('./langgraph-loop.ts');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_DLOPEN_FAILED') throw error;
    throw new Error(
      `LangGraph.js could not be loaded for the comparison (${code}: ${(error as Error).message.split('\n')[0]}). ` +
        'Expected its packages in bench/node_modules, with better-sqlite3 built for this Node; run `bash bench/setup.sh` and try again.',
      { cause: error },
    );
  }
}
