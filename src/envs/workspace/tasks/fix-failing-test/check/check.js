// The hidden check: the same cases as the workspace's test.js, against the workspace's src/price.js.
const { linePrice } = require('/workspace/src/price.js');
const cases = [[[2, 10, 0], 20], [[2, 10, 25], 15], [[1, 80, 50], 40], [[3, 5, 10], 13.5]];
process.exitCode = cases.every(([args, expected]) => Math.abs(linePrice(...args) - expected) < 1e-9) ? 0 : 1;
