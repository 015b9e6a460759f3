// The price of an order line: quantity times unit price, less a percentage discount.
function linePrice(quantity, unitPrice, discountPercent) {
  const gross = quantity * unitPrice;
  return gross - gross * discountPercent;
}

module.exports = { linePrice };
