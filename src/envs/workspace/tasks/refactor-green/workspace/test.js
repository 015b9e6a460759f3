const { incomeReport, costReport } = require('./src/report.js');

const items = [{ name: 'rent', amount: 1200 }, { name: 'tea', amount: 3.5 }];
const expected = {
  income: 'rent           1200.00\ntea               3.50',
  cost: 'rent          -1200.00\ntea              -3.50',
};
let failed = 0;
for (const [name, got] of [['income', incomeReport(items)], ['cost', costReport(items)]]) {
  if (got === expected[name]) console.log(`ok ${name} report`);
  else {
    failed++;
    console.log(`FAIL ${name} report:\n${got}`);
  }
}
process.exitCode = failed ? 1 : 0;
