function incomeReport(items) {
  return items.map((item) => item.name.padEnd(12) + item.amount.toFixed(2).padStart(10)).join('\n');
}

function costReport(items) {
  return items.map((item) => item.name.padEnd(12) + (-item.amount).toFixed(2).padStart(10)).join('\n');
}

module.exports = { incomeReport, costReport };
