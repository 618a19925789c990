// The baseline: the fastest plain Node server for the benchmark's routes, on the
// same SQLite engine (libSQL) through its synchronous binding, with prepared
// statements and the same JSON out. No framework, no validation library.
// Usage: node bench/baseline.mjs DB_FILE PORT
import { createServer } from 'node:http';
import Database from 'libsql';

const [file, port] = process.argv.slice(2);
const db = new Database(file);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000');

const q = {
  classicItem: db.prepare("SELECT id, name, unit_price, quantity FROM cart_items WHERE id = ? AND cart_id = 'default'"),
  cart: db.prepare('SELECT * FROM carts WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)'),
  lines: db.prepare('SELECT * FROM cart_items WHERE cart_id = ? ORDER BY id'),
  bump: db.prepare(
    'UPDATE carts SET version = version + 1, updated_at = ?, expires_at = ? WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)',
  ),
  upsert:
    db.prepare(`INSERT INTO cart_items (cart_id, product_id, name, unit_price, quantity, metadata, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (cart_id, product_id, unit_price, metadata, price_source) DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at
    RETURNING quantity`),
  count: db.prepare('SELECT count(*) AS n FROM cart_items WHERE cart_id = ?'),
};

const iso = (ms) => new Date(ms).toISOString();

function cartJson(cart, lines) {
  let subtotal = 0;
  let itemCount = 0;
  const items = lines.map((l) => {
    const lineTotal = l.unit_price * l.quantity;
    subtotal += lineTotal;
    itemCount += l.quantity;
    return {
      id: l.id,
      product_id: l.product_id,
      name: l.name,
      unit_price: l.unit_price,
      quantity: l.quantity,
      line_total: lineTotal,
      metadata: JSON.parse(l.metadata),
      created_at: iso(l.created_at),
      updated_at: iso(l.updated_at),
    };
  });
  return JSON.stringify({
    id: cart.id,
    currency: cart.currency,
    version: cart.version,
    items,
    line_count: items.length,
    item_count: itemCount,
    subtotal,
    metadata: JSON.parse(cart.metadata),
    created_at: iso(cart.created_at),
    updated_at: iso(cart.updated_at),
    expires_at: cart.expires_at === null ? null : iso(cart.expires_at),
  });
}

const send = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
};

const existing = db.prepare(
  'SELECT quantity FROM cart_items WHERE cart_id = ? AND product_id = ? AND unit_price = ? AND metadata = ?',
);

// The same rules as edgecart's add, checked inside one transaction: a live
// cart, at most 250 lines, at most 10,000 a line.
const add = db.transaction((id, line, now) => {
  const quantity = line.quantity ?? 1;
  const metadata = JSON.stringify(line.metadata ?? {});
  const current = existing.get(id, line.product_id, line.unit_price, metadata);
  if (current && current.quantity + quantity > 10_000) return 'limit';
  if (!current && q.count.get(id).n >= 250) return 'full';
  const bumped = q.bump.run(now, now + 30 * 86_400_000, id, now);
  if (bumped.changes === 0) return undefined;
  q.upsert.get(id, line.product_id, line.name, line.unit_price, quantity, metadata, now, now);
  return current !== undefined;
});

createServer((req, res) => {
  const parts = req.url.split('/');
  if (req.method === 'GET' && parts[1] === 'api') {
    const item = q.classicItem.get(Number(parts[3]));
    if (!item) return send(res, 404, '{"status":"error","data":{"detail":"Not found."}}');
    const data = {
      id: item.id,
      product_name: item.name,
      product_price: item.unit_price / 100,
      product_quantity: item.quantity,
    };
    return send(res, 200, JSON.stringify({ status: 'success', data }));
  }
  if (req.method === 'GET' && parts[1] === 'v1') {
    const cart = q.cart.get(parts[3], Date.now());
    if (!cart) return send(res, 404, '{"type":"/problems/not-found","title":"Not found","status":404}');
    return send(res, 200, cartJson(cart, q.lines.all(cart.id)), { etag: `"${cart.version}"` });
  }
  if (req.method === 'POST' && parts[1] === 'v1') {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const line = JSON.parse(body);
      const now = Date.now();
      const merged = add(parts[3], line, now);
      if (merged === undefined)
        return send(res, 404, '{"type":"/problems/not-found","title":"Not found","status":404}');
      if (merged === 'full') return send(res, 409, '{"type":"/problems/cart-full","title":"Cart full","status":409}');
      if (merged === 'limit')
        return send(res, 422, '{"type":"/problems/validation-failed","title":"Validation failed","status":422}');
      const cart = q.cart.get(parts[3], now);
      send(res, merged ? 200 : 201, cartJson(cart, q.lines.all(cart.id)), { etag: `"${cart.version}"` });
    });
    return;
  }
  send(res, 404, '{}');
}).listen(Number(port), '127.0.0.1', () => console.log(JSON.stringify({ message: 'listening', port: Number(port) })));
