const assert = require('node:assert/strict');
const { linePrice } = require('./src/price.js');

const cases = [
  [[2, 10, 0], 20],
  [[2, 10, 25], 15],
  [[1, 80, 50], 40],
];
let failed = 0;
for (const [args, expected] of cases) {
  const got = linePrice(...args);
  if (got === expected) console.log(`ok linePrice(${args.join(', ')}) = ${expected}`);
  else {
    failed++;
    console.log(`FAIL linePrice(${args.join(', ')}) = ${got}, expected ${expected}`);
  }
}
process.exitCode = failed ? 1 : 0;
