import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';
import { walkPages } from './walk.js';

/** Tax rates as an admin resource, and the tax category of products (API.md §11), on an app with the admin token `token`. */
export function taxRateCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  let serial = 0;
  const freshId = (what = 'tax') => `${what}-${Date.now().toString(36)}-${serial++}`;
  const vat = { name: 'VAT 19%', country: 'de', category: 'standard', rate_bp: 1900 };
  const paths = (reply: { json: { errors?: Array<{ path: string }> } }) =>
    (reply.json.errors ?? []).map((error) => error.path).sort();

  describe('tax rates', () => {
    it('creates a rate, replaces it whole (version + 1), reads it, and deletes it', async () => {
      const id = freshId();
      const created = await call('PUT', `/v1/admin/tax-rates/${id}`, vat);
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.json).toMatchObject({ id, ...vat, country: 'DE', region: null, version: 1 });
      const replaced = await call('PUT', `/v1/admin/tax-rates/${id}`, {
        id,
        name: 'QST',
        country: 'CA',
        region: 'ca-qc',
        category: 'books',
        rate_bp: 998,
      });
      expect(replaced.status).toBe(200);
      expect(replaced.headers.get('etag')).toBe('"2"');
      expect(replaced.json).toEqual({
        id,
        name: 'QST',
        country: 'CA',
        region: 'CA-QC',
        category: 'books',
        rate_bp: 998,
        version: 2,
        created_at: created.json.created_at,
        updated_at: expect.any(String),
      });
      expect((await call('GET', `/v1/admin/tax-rates/${id}`)).json).toEqual(replaced.json);
      expect((await call('DELETE', `/v1/admin/tax-rates/${id}`)).status).toBe(204);
      expect((await call('GET', `/v1/admin/tax-rates/${id}`)).status).toBe(404);
      expect((await call('DELETE', `/v1/admin/tax-rates/${id}`)).status).toBe(404);
    });

    it('lists every rate in id order, a page at a time', async () => {
      const prefix = `list-${Date.now().toString(36)}-`;
      for (const n of [3, 1, 2]) await call('PUT', `/v1/admin/tax-rates/${prefix}${n}`, vat);
      const seen = (await walkPages<{ id: string }>(fetcher, '/v1/admin/tax-rates?limit=1', 'tax_rates', admin)).map(
        (rate) => rate.id,
      );
      expect(seen.filter((id) => id.startsWith(prefix))).toEqual([`${prefix}1`, `${prefix}2`, `${prefix}3`]);
      expect([...seen].sort()).toEqual(seen);
      expect(new Set(seen).size).toBe(seen.length);
      const unknown = await call('GET', '/v1/admin/tax-rates?cursor=not-a-cursor');
      expect(unknown.status).toBe(422);
      expect(unknown.json.errors).toEqual([{ path: 'cursor', message: 'Unknown cursor' }]);
      // A cursor of another listing is none of this one.
      const products = await call('GET', '/v1/admin/products?limit=1');
      if (products.json.next_cursor !== null) {
        const foreign = await call(
          'GET',
          `/v1/admin/tax-rates?cursor=${encodeURIComponent(products.json.next_cursor)}`,
        );
        expect(foreign.status).toBe(422);
      }
    });

    it('takes rate_bp from 0 to 10,000 and refuses one over, below, or not whole', async () => {
      for (const rate_bp of [0, 10_000]) {
        const reply = await call('PUT', `/v1/admin/tax-rates/${freshId()}`, { ...vat, rate_bp });
        expect(reply.status).toBe(201);
        expect(reply.json.rate_bp).toBe(rate_bp);
      }
      for (const rate_bp of [10_001, -1, 19.5]) {
        const id = freshId();
        const reply = await call('PUT', `/v1/admin/tax-rates/${id}`, { ...vat, rate_bp });
        expect(reply.status).toBe(422);
        expect(paths(reply)).toEqual(['rate_bp']);
        expect((await call('GET', `/v1/admin/tax-rates/${id}`)).status).toBe(404);
      }
    });

    it('refuses a region of another country, an unknown country or region, and a bad category, writing nothing', async () => {
      const id = freshId();
      const other = await call('PUT', `/v1/admin/tax-rates/${id}`, { ...vat, region: 'CA-QC' });
      expect(other.status).toBe(422);
      expect(other.json.errors).toEqual([{ path: 'region', message: 'Must be a subdivision of DE' }]);
      const bad = await call('PUT', `/v1/admin/tax-rates/${id}`, {
        name: ' ',
        country: 'XX',
        region: 'DE-XX',
        category: 'bad category',
      });
      expect(bad.status).toBe(422);
      expect(paths(bad)).toEqual(['category', 'country', 'name', 'rate_bp', 'region']);
      expect((await call('GET', `/v1/admin/tax-rates/${id}`)).status).toBe(404);
      const mismatched = await call('PUT', `/v1/admin/tax-rates/${id}`, { ...vat, id: 'other' });
      expect(mismatched.json).toMatchObject({
        detail: 'The request body has 1 invalid field.',
        errors: [{ path: 'id' }],
      });
      expect((await call('GET', `/v1/admin/tax-rates/${id}`)).json.detail).toBe('No tax rate with that id.');
      expect(paths(await call('PUT', '/v1/admin/tax-rates/bad%20id', vat))).toEqual(['rateId']);
      const regional = await call('PUT', `/v1/admin/tax-rates/${id}`, { ...vat, region: 'de-by' });
      expect(regional.status).toBe(201);
      expect(regional.json.region).toBe('DE-BY');
    });

    it('answers only to the admin token', async () => {
      expect((await call('GET', '/v1/admin/tax-rates', undefined, {})).status).toBe(401);
      const wrong = { authorization: 'Bearer not-the-token' };
      expect((await call('PUT', `/v1/admin/tax-rates/${freshId()}`, vat, wrong)).status).toBe(403);
      expect((await call('DELETE', `/v1/admin/tax-rates/${freshId()}`, undefined, wrong)).status).toBe(403);
    });
  });

  describe('tax categories', () => {
    it('gives a product the standard category unless it names one, by PUT and by import', async () => {
      const [plain, book, imported, importedPlain] = [freshId('p'), freshId('p'), freshId('p'), freshId('p')];
      const product = { name: 'Mug', prices: { EUR: 1190 } };
      expect((await call('PUT', `/v1/admin/products/${plain}`, product)).json.tax_category).toBe('standard');
      const named = await call('PUT', `/v1/admin/products/${book}`, { ...product, tax_category: 'reduced' });
      expect(named.json.tax_category).toBe('reduced');
      const replaced = await call('PUT', `/v1/admin/products/${book}`, product);
      expect(replaced.json.tax_category).toBe('standard');
      const imports = await call('POST', '/v1/admin/products/import', [
        { id: imported, ...product, tax_category: 'books' },
        { id: importedPlain, ...product },
      ]);
      expect(imports.json).toEqual({ created: 2, updated: 0 });
      expect((await call('GET', `/v1/admin/products/${importedPlain}`)).json.tax_category).toBe('standard');
      const ndjson = `${JSON.stringify({ id: importedPlain, ...product, tax_category: 'zero' })}\n`;
      const lines = await send(fetcher, 'POST', '/v1/admin/products/import', ndjson, {
        ...admin,
        'content-type': 'application/x-ndjson',
      });
      expect(lines.json).toEqual({ created: 0, updated: 1 });
      expect((await call('GET', `/v1/admin/products/${imported}`)).json.tax_category).toBe('books');
      expect((await call('GET', `/v1/admin/products/${importedPlain}`)).json.tax_category).toBe('zero');
      const bad = await call('PUT', `/v1/admin/products/${freshId('p')}`, { ...product, tax_category: 'no spaces' });
      expect(bad.status).toBe(422);
      expect(paths(bad)).toEqual(['tax_category']);
      const badImport = await call('POST', '/v1/admin/products/import', [
        { id: freshId('p'), ...product, tax_category: '' },
      ]);
      expect(badImport.status).toBe(422);
      expect(paths(badImport)).toEqual(['0.tax_category']);
    });

    it('lets a shipping rate name its tax category, and refuses a bad one', async () => {
      const rate = { name: 'Standard', countries: ['DE'], prices: { EUR: 499 } };
      const id = freshId('ship');
      expect(
        (await call('PUT', `/v1/admin/shipping-rates/${id}`, { ...rate, tax_category: 'reduced' })).json,
      ).toMatchObject({
        tax_category: 'reduced',
      });
      const bad = await call('PUT', `/v1/admin/shipping-rates/${id}`, { ...rate, tax_category: 'a b' });
      expect(bad.status).toBe(422);
      expect(paths(bad)).toEqual(['tax_category']);
    });
  });
}
