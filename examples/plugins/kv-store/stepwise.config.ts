export default { plugins: ['./kv-plugin.ts'] };
