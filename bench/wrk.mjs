// Runs wrk (Debian's package) for one scenario: writes the Lua script that
// makes its requests from the fixture's ids, and reads req/s, latency
// percentiles and non-2xx counts from wrk's report.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const lua = (list) => `{${list.map((item) => JSON.stringify(String(item))).join(',')}}`;
const pick = (name) => `${name}[math.random(#${name})]`;

/** Checks out each cart of `ids` once, in order (from the end: `fromEnd`). */
const checkouts = (ids, fromEnd) => `local ids = ${lua(ids)}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/carts/" .. ids[${fromEnd ? '#ids - (n % #ids)' : '(n % #ids) + 1'}] .. "/checkout", nil, '{}')
end`;

/** The Lua body of each scenario: a `request` function, and the tables it draws from. */
const SCRIPTS = {
  healthz: () => 'request = function() return wrk.format("GET", "/healthz") end',
  'classic-get': (f) =>
    `local ids = ${lua(f.classicIds)}\nrequest = function() return wrk.format("GET", "/api/cart-items/" .. ${pick('ids')}) end`,
  'v1-get': (f) =>
    `local ids = ${lua(f.tenLineCarts)}\nrequest = function() return wrk.format("GET", "/v1/carts/" .. ${pick('ids')}) end`,
  'v1-merge': (f) => `local ids = ${lua(f.tenLineCarts)}
${mergeBody}
request = function() return wrk.format("POST", "/v1/carts/" .. ${pick('ids')} .. "/items", nil, merge()) end`,
  'v1-new-line': (f) => `local ids = ${lua(f.emptyCarts)}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/carts/" .. ids[(n % #ids) + 1] .. "/items", nil,
    '{"product_id":"sku-new","name":"New line","unit_price":1999,"quantity":1}')
end`,
  // The merge with the price from the catalog (PRICES=catalog): the body names the product only.
  // Into carts of catalog lines, so it merges like v1-merge (a catalog add never merges with a client-priced line).
  'v1-merge-catalog': (f) => `local ids = ${lua(f.catalogCarts)}
request = function()
  local k = math.random(0, 9)
  return wrk.format("POST", "/v1/carts/" .. ${pick('ids')} .. "/items", nil, string.format('{"product_id":"p-%d","quantity":1}', k))
end`,
  // Each request checks out the next 10-line cart (a cart is checked out once):
  // the measured run walks the list from the start, its warm-up from the end.
  checkout: (f) => checkouts(f.checkoutCarts, false),
  'checkout-warm': (f) => checkouts(f.checkoutCarts, true),
  // The same, in a store that ships: each cart has an address and a delivery selected.
  'checkout-shipped': (f) => checkouts(f.shippedCheckoutCarts, false),
  'checkout-shipped-warm': (f) => checkouts(f.shippedCheckoutCarts, true),
  'v1-get-shipped': (f) =>
    `local ids = ${lua(f.shippedCarts)}\nrequest = function() return wrk.format("GET", "/v1/carts/" .. ${pick('ids')}) end`,
  'merge-249': (f) => `local ids = ${lua(f.bigCarts)}
request = function() return wrk.format("POST", "/v1/carts/" .. ${pick('ids')} .. "/items", nil,
  '{"product_id":"p-0","name":"Product 0","unit_price":1000,"quantity":1}') end`,
  'merge-1': (f) => `local ids = ${lua(f.smallCarts)}
request = function() return wrk.format("POST", "/v1/carts/" .. ${pick('ids')} .. "/items", nil,
  '{"product_id":"p-0","name":"Product 0","unit_price":1000,"quantity":1}') end`,
  // Read-mostly: 80% cart reads, 10% merges, 5% classic reads, 5% new lines.
  mixed: (f) => `local carts = ${lua(f.tenLineCarts)}
local classic = ${lua(f.classicIds)}
local empty = ${lua(f.emptyCarts)}
local n = 0
${mergeBody}
request = function()
  local r = math.random()
  if r < 0.8 then return wrk.format("GET", "/v1/carts/" .. carts[math.random(#carts)]) end
  if r < 0.9 then return wrk.format("POST", "/v1/carts/" .. carts[math.random(#carts)] .. "/items", nil, merge()) end
  if r < 0.95 then return wrk.format("GET", "/api/cart-items/" .. classic[math.random(#classic)]) end
  n = n + 1
  return wrk.format("POST", "/v1/carts/" .. empty[(n % #empty) + 1] .. "/items", nil,
    '{"product_id":"sku-new","name":"New line","unit_price":1999,"quantity":1}')
end`,
};

const mergeBody = `local function merge()
  local k = math.random(0, 9)
  return string.format('{"product_id":"p-%d","name":"Product %d","unit_price":%d,"quantity":1}', k, k, 1000 + k)
end`;

const MS = { us: 0.001, ms: 1, s: 1000 };
const duration = (text) => {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  return match ? Number(match[1]) * MS[match[2]] : Number.NaN;
};

/** The scenario a warm-up runs: its own where the measured run must find fresh data. */
export const warmupOf = (scenario) => (SCRIPTS[`${scenario}-warm`] ? `${scenario}-warm` : scenario);

/** Whether wrk is installed (`apt-get install wrk`). */
export function haveWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return error.status === 1;
  }
}

/**
 * One wrk run of `scenario` against `url`; `wrap` may pin it to a core.
 * Returns { rps, p50, p99 (ms), non2xx, errors }.
 */
export function runWrk(work, { url, scenario, fixture, seconds, connections }, wrap = (argv) => argv) {
  const script = join(work, `${scenario}.lua`);
  writeFileSync(
    script,
    `wrk.headers["Content-Type"] = "application/json"\nmath.randomseed(${Math.floor(Math.random() * 1e9)})\n${SCRIPTS[scenario](fixture)}\n`,
  );
  const argv = wrap(['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url]);
  const out = execFileSync(argv[0], argv.slice(1), { maxBuffer: 1 << 24 }).toString();
  const percentile = (p) => duration(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50: percentile(50),
    p99: percentile(99),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}
