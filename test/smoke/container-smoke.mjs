// Drives a running edgecart (the container, in CI) over HTTP.
//   node test/smoke/container-smoke.mjs write STATE   the classic walkthrough and a /v1 cart; keeps ids in STATE
//   node test/smoke/container-smoke.mjs verify STATE  after a restart on the same /data: that data is still there
// BASE_URL defaults to http://127.0.0.1:8787.

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';

const [mode, stateFile] = process.argv.slice(2);
const base = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
// The container runs with ADMIN_TOKEN set (the catalog needs it), so the classic surface and admin routes take it.
const token = process.env.SMOKE_ADMIN_TOKEN;
const auth = token === undefined ? {} : { authorization: `Bearer ${token}` };

async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? auth : { 'content-type': 'application/json', ...auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined;
  console.log(`${method} ${path} -> ${res.status}`);
  return { status: res.status, headers: res.headers, json };
}

async function write() {
  // The tutorial's walkthrough.
  const created = await call('POST', '/api/cart-items/', {
    product_name: 'name',
    product_price: '41',
    product_quantity: '1',
  });
  assert.equal(created.status, 200);
  assert.deepEqual(created.json.data, {
    id: created.json.data.id,
    product_name: 'name',
    product_price: 41,
    product_quantity: 1,
  });
  const id = created.json.data.id;
  assert.ok((await call('GET', '/api/cart-items/')).json.data.some((item) => item.id === id));
  assert.equal((await call('PATCH', `/api/cart-items/${id}`, { product_quantity: 6 })).json.data.product_quantity, 6);
  assert.deepEqual((await call('DELETE', `/api/cart-items/${id}`)).json, { status: 'success', data: 'Item Deleted' });
  assert.equal((await call('GET', `/api/cart-items/${id}`)).status, 404);

  // A classic item and a /v1 cart that must outlive a restart.
  const kept = await call('POST', '/api/cart-items/', { product_name: 'kept across restarts', product_price: '9.99' });
  assert.equal(kept.status, 200);
  const cart = await call('POST', '/v1/carts', { currency: 'EUR' });
  assert.equal(cart.status, 201);
  const imported = await call('POST', '/v1/admin/products/import', [
    { id: 'sku-mug', name: 'Mug', prices: { EUR: 1299 } },
  ]);
  assert.deepEqual(imported.json, { created: 1, updated: 0 });
  const line = { product_id: 'sku-mug', quantity: 2 };
  const added = await call('POST', `/v1/carts/${cart.json.id}/items`, line);
  assert.equal(added.status, 201);
  assert.equal(added.json.items[0].unit_price, 1299);
  const merged = await call('POST', `/v1/carts/${cart.json.id}/items`, { ...line, quantity: 1 });
  assert.equal(merged.status, 200);
  assert.equal(merged.json.subtotal, 3897);
  assert.equal((await call('GET', '/docs')).status, 200);
  assert.equal((await call('GET', '/openapi.json')).status, 200);
  assert.equal((await call('GET', '/readyz')).status, 200);
  writeFileSync(
    stateFile,
    JSON.stringify({ itemId: kept.json.data.id, cartId: cart.json.id, version: merged.json.version }),
  );
}

async function verify() {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const item = await call('GET', `/api/cart-items/${state.itemId}`);
  assert.equal(item.status, 200);
  assert.equal(item.json.data.product_name, 'kept across restarts');
  assert.equal(item.json.data.product_price, 9.99);
  const cart = await call('GET', `/v1/carts/${state.cartId}`);
  assert.equal(cart.status, 200);
  assert.equal(cart.json.version, state.version);
  assert.equal(cart.json.subtotal, 3897);
  assert.equal(cart.headers.get('etag'), `"${state.version}"`);
}

if (mode === 'write') await write();
else if (mode === 'verify') await verify();
else throw new Error('usage: container-smoke.mjs write|verify STATE_FILE');
console.log(`smoke ${mode}: ok`);
