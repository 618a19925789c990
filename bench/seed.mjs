// Seeds a migrated database file in bulk, straight through libSQL's synchronous binding.
import { randomBytes } from 'node:crypto';
import Database from 'libsql';

const cartId = () => `crt_${randomBytes(16).toString('base64url').slice(0, 22)}`;

/**
 * Adds carts to `file` (already migrated) and returns the ids the scenarios use.
 * `fillers` one-line carts stand for the rest of the shop's carts.
 */
export function seed(
  file,
  {
    fillers,
    tenLine = 1000,
    catalogTenLine = 0,
    empty = 0,
    big = 0,
    small = 0,
    classic = 100,
    checkout = 0,
    shippedTenLine = 0,
    shippedCheckout = 0,
    taxRates = false,
    stock = false,
  },
) {
  const db = new Database(file);
  const now = Date.now();
  const expires = now + 30 * 86_400_000;
  const insertCart = db.prepare(
    "INSERT INTO carts (id, currency, version, metadata, created_at, updated_at, expires_at) VALUES (?, 'USD', 1, '{}', ?, ?, ?)",
  );
  const insertLine = db.prepare(
    "INSERT INTO cart_items (cart_id, product_id, name, unit_price, quantity, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', ?, ?)",
  );
  const insertCatalogLine = db.prepare(
    "INSERT INTO cart_items (cart_id, product_id, name, unit_price, quantity, metadata, price_source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', 'catalog', ?, ?)",
  );
  // The catalog: p-0 … p-9 at the prices the seeded lines carry, so catalog adds merge and checkouts find them current.
  const insertProduct = db.prepare(
    "INSERT INTO products (id, name, prices, active, metadata, version, created_at, updated_at) VALUES (?, ?, ?, 1, '{}', 1, ?, ?)",
  );
  const fixture = {
    classicIds: [],
    tenLineCarts: [],
    catalogCarts: [],
    emptyCarts: [],
    bigCarts: [],
    smallCarts: [],
    checkoutCarts: [],
    shippedCarts: [],
    shippedCheckoutCarts: [],
  };
  const cartsWith = (count, lines, into, line = insertLine) => {
    for (let i = 0; i < count; i++) {
      const id = cartId();
      insertCart.run(id, now, now, expires);
      for (let k = 0; k < lines; k++) line.run(id, `p-${k}`, `Product ${k}`, 1000 + k, 1, now, now);
      into?.push(id);
    }
  };
  db.transaction(() => {
    for (let i = 0; i < classic; i++) {
      const row = db
        .prepare(
          "INSERT INTO cart_items (cart_id, product_id, name, unit_price, quantity, metadata, created_at, updated_at) VALUES ('default', NULL, ?, 4100, 1, '{}', ?, ?) RETURNING id",
        )
        .get(`Classic ${i}`, now, now);
      fixture.classicIds.push(row.id);
    }
    cartsWith(tenLine, 10, fixture.tenLineCarts);
    cartsWith(empty, 0, fixture.emptyCarts);
    cartsWith(big, 249, fixture.bigCarts);
    cartsWith(small, 1, fixture.smallCarts);
    cartsWith(fillers, 1);
    for (let k = 0; k < 10; k++)
      insertProduct.run(`p-${k}`, `Product ${k}`, JSON.stringify({ USD: 1000 + k }), now, now);
    // Ten catalog lines each: a catalog add of p-0 … p-9 merges, as a client-priced add into tenLineCarts does.
    cartsWith(catalogTenLine, 10, fixture.catalogCarts, insertCatalogLine);
    cartsWith(checkout, 10, fixture.checkoutCarts, insertCatalogLine);
    if (shippedTenLine + shippedCheckout > 0) {
      // A store that ships: one active rate, a 10% code; carts with an address and the rate selected.
      db.prepare(
        `INSERT INTO shipping_rates (id, name, countries, prices, free_over, active, version, created_at, updated_at)
         VALUES ('standard', 'Standard', '["DE"]', '{"USD":499}', '{"USD":100000}', 1, 1, ?, ?)`,
      ).run(now, now);
      db.prepare(
        "INSERT INTO discounts (code, kind, percent_off_bp, active, version, created_at, updated_at) VALUES ('TEN', 'percentage', 1000, 1, 1, ?, ?)",
      ).run(now, now);
      const ship = db.prepare(
        `UPDATE carts SET shipping_address = '{"line1":"Marktplatz 1","city":"München","country":"DE"}',
           delivery_option_id = 'standard', delivery_name = 'Standard' WHERE id = ?`,
      );
      const attach = db.prepare("INSERT INTO cart_discounts (cart_id, code, created_at) VALUES (?, 'TEN', ?)");
      const shipped = (count, into, withCode, line) => {
        const ids = [];
        cartsWith(count, 10, ids, line);
        for (const id of ids) {
          ship.run(id);
          if (withCode) attach.run(id, now);
        }
        into.push(...ids);
      };
      // Tax (API.md §11): two stacked rates of the address's country, for a server with TAX=rates.
      if (taxRates)
        for (const [id, bp] of [
          ['de-a', 1900],
          ['de-b', 500],
        ])
          db.prepare(
            `INSERT INTO tax_rates (id, name, country, region, category, rate_bp, version, created_at, updated_at)
             VALUES (?, ?, 'DE', NULL, 'standard', ?, 1, ?, ?)`,
          ).run(id, id, bp, now, now);
      // Read: an address, a selected delivery and one code. Checkout: an address and a delivery.
      shipped(shippedTenLine, fixture.shippedCarts, true);
      shipped(shippedCheckout, fixture.shippedCheckoutCarts, false, insertCatalogLine);
    }
  })();
  // Stock (README, Stock): a record for each of p-0 … p-9, with more on hand than any run takes.
  if (stock)
    for (let k = 0; k < 10; k++)
      db.prepare(
        'INSERT INTO stock (product_id, on_hand, version, created_at, updated_at) VALUES (?, 1000000000, 1, ?, ?)',
      ).run(`p-${k}`, now, now);
  db.exec('ANALYZE');
  db.close();
  return fixture;
}
