// The hidden check: the reports are unchanged, formatLine exists and is exported or used, and the padding is written once.
const { readFileSync } = require('node:fs');
const source = readFileSync('/workspace/src/report.js', 'utf8');
const { incomeReport, costReport } = require('/workspace/src/report.js');
const items = [{ name: 'rent', amount: 1200 }, { name: 'tea', amount: 3.5 }];
const same = incomeReport(items) === 'rent           1200.00\ntea               3.50' && costReport(items) === 'rent          -1200.00\ntea              -3.50';
const extracted = /function formatLine\s*\(/.test(source) && (source.match(/formatLine\(/g) ?? []).length >= 3;
const once = (source.match(/padEnd\(12\)/g) ?? []).length === 1;
process.exitCode = same && extracted && once ? 0 : 1;
