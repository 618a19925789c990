import { taxCases } from '../cases/tax.cases.js';
import { nodeAppsOverOne } from './app.js';

const token = 'node-tax-admin-token-000';
const settings = { ADMIN_TOKEN: token, PRICES: 'catalog' };
const apps = await nodeAppsOverOne({
  net: { ...settings, TAX: 'rates' },
  gross: { ...settings, TAX: 'rates', PRICES_INCLUDE_TAX: 'true' },
  none: settings,
  external: { ...settings, TAX: 'external' },
  externalOther: { ...settings, TAX: 'external' },
});
taxCases(apps, token);
