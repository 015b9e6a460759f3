// The shop's fixed catalogue; which product a task asks for is drawn from the seed on the first page.
var CATALOGUE = [
  { id: 1, name: 'blue kettle', price: 24 },
  { id: 2, name: 'red kettle', price: 26 },
  { id: 3, name: 'steel toaster', price: 39 },
  { id: 4, name: 'desk lamp', price: 18 },
  { id: 5, name: 'green mug', price: 7 },
  { id: 6, name: 'blue mug', price: 8 },
];
var BUYERS = ['Dana', 'Ravi', 'Mette', 'Jonas'];
function productById(id) {
  return CATALOGUE.filter(function (p) { return p.id === Number(id); })[0] || null;
}
