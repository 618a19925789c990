import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { storeOver } from '../../src/data/store.js';
import { openLibsqlStore } from '../../src/runtime/node/libsql.js';
import { classicCases } from '../cases/classic.cases.js';
import type { Fetcher } from '../cases/client.js';
import { threeDecimalCases } from '../cases/currency.cases.js';
import { healthCases, notReadyCases } from '../cases/health.cases.js';
import { nodeApp } from './app.js';

const { fetcher, dir } = await nodeApp();
healthCases(fetcher);
classicCases(fetcher);

// A store whose client is closed: every query fails, as a lost database would.
const closed = await openLibsqlStore({ url: `file:${dir}/closed.db` });
closed.close();
const down = createApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), store: () => storeOver(closed.db) });
const downFetcher: Fetcher = async (path, init) => down.request(`http://edgecart.test${path}`, init);
notReadyCases(downFetcher);

// A store whose default cart is in KWD.
const kwd = await nodeApp();
await kwd.store.client.execute("update carts set currency = 'KWD' where id = 'default'");
threeDecimalCases(kwd.fetcher);
