// The web viewer's server over a store (docs/viewer.md): the `stepwise-agents/view` entry point.
export { startViewServer, type ViewServer, type ViewServerOptions, type WriteRoute } from './server.ts';
