import { definePlugin } from 'stepwise-agents';
import { kvPlugin } from './kv-env.ts';
import { kvProgressScorer } from './kv-scorer.ts';
import { bestFirstStrategy } from './kv-strategy.ts';

export default definePlugin({
  name: 'kv-store',
  version: '1.0.0',
  environments: [kvPlugin],
  scorers: [kvProgressScorer],
  strategies: [bestFirstStrategy],
});
