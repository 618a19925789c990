// One autocannon run, pinned by the caller to its own core. Prints the result as JSON.
// Usage: node bench/load.mjs CONFIG.json   ({"url":…,"scenario":…,"duration":10,"connections":64,"fixture":{…}})
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const { url, scenario, duration, connections, fixture, rate } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pick = (list) => list[Math.floor(Math.random() * list.length)];
let fresh = 0;

const json = { 'content-type': 'application/json' };
const make = {
  healthz: () => ({ method: 'GET', path: '/healthz' }),
  'classic-get': () => ({ method: 'GET', path: `/api/cart-items/${pick(fixture.classicIds)}` }),
  'v1-get': () => ({ method: 'GET', path: `/v1/carts/${pick(fixture.tenLineCarts)}` }),
  'v1-merge': () => {
    const k = Math.floor(Math.random() * 10);
    return {
      method: 'POST',
      path: `/v1/carts/${pick(fixture.tenLineCarts)}/items`,
      headers: json,
      body: JSON.stringify({ product_id: `p-${k}`, name: `Product ${k}`, unit_price: 1000 + k, quantity: 1 }),
    };
  },
  'v1-new-line': () => ({
    method: 'POST',
    path: `/v1/carts/${fixture.emptyCarts[fresh++ % fixture.emptyCarts.length]}/items`,
    headers: json,
    body: JSON.stringify({ product_id: 'sku-new', name: 'New line', unit_price: 1999, quantity: 1 }),
  }),
  'merge-249': () => ({
    method: 'POST',
    path: `/v1/carts/${pick(fixture.bigCarts)}/items`,
    headers: json,
    body: JSON.stringify({ product_id: 'p-0', name: 'Product 0', unit_price: 1000, quantity: 1 }),
  }),
  'merge-1': () => ({
    method: 'POST',
    path: `/v1/carts/${pick(fixture.smallCarts)}/items`,
    headers: json,
    body: JSON.stringify({ product_id: 'p-0', name: 'Product 0', unit_price: 1000, quantity: 1 }),
  }),
};
// Read-mostly: 80% cart reads, 10% merges, 5% classic reads, 5% new lines.
make.mixed = () => {
  const r = Math.random();
  if (r < 0.8) return make['v1-get']();
  if (r < 0.9) return make['v1-merge']();
  if (r < 0.95) return make['classic-get']();
  return make['v1-new-line']();
};

const result = await autocannon({
  url,
  connections,
  duration,
  // Requests per second across all connections; unset: as fast as the server answers.
  ...(rate ? { overallRate: rate } : {}),
  requests: [{ setupRequest: (req) => ({ ...req, ...make[scenario]() }) }],
});
const codes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
console.log(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    codes,
  }),
);
