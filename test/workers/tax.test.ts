import { taxCases } from '../cases/tax.cases.js';
import { workersApp } from './app.js';

const token = 'workers-tax-admin-token-0';
const settings = { ADMIN_TOKEN: token, PRICES: 'catalog' };
taxCases(
  {
    net: workersApp({ ...settings, TAX: 'rates' }),
    gross: workersApp({ ...settings, TAX: 'rates', PRICES_INCLUDE_TAX: 'true' }),
    none: workersApp(settings),
    external: workersApp({ ...settings, TAX: 'external' }),
    externalOther: workersApp({ ...settings, TAX: 'external' }),
  },
  token,
);
