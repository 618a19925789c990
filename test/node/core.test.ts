import { storeOver } from '../../src/data/store.js';
import { nodeClientAddress } from '../../src/runtime/node/rate-limit.js';
import { bookmarkCases } from '../cases/bookmark.cases.js';
import { authorizationFirstCases, creationKeyCases, oneCartCases } from '../cases/core.cases.js';
import { inputCases } from '../cases/input.cases.js';
import { rulesAgreeCases } from '../cases/rules-agree.cases.js';
import { nodeApp } from './app.js';

const token = 'node-core-admin-token-0123456789';
oneCartCases((await nodeApp()).fetcher);
authorizationFirstCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token);
// Behind one trusted proxy, which appends the client's address to X-Forwarded-For.
const behindProxy = await nodeApp({ TRUST_PROXY: '1' }, undefined, { clientAddress: nodeClientAddress(1) });
const viaProxy = (client: string) => ({ 'x-forwarded-for': `10.9.9.9, ${client}` });
creationKeyCases(behindProxy.fetcher, viaProxy);
const guardedProxy = await nodeApp({ TRUST_PROXY: '1', ADMIN_TOKEN: token }, undefined, {
  clientAddress: nodeClientAddress(1),
});
creationKeyCases(guardedProxy.fetcher, viaProxy, token);
inputCases((await nodeApp()).fetcher);
const own = await nodeApp();
rulesAgreeCases(() => storeOver(own.db));
bookmarkCases((await nodeApp()).fetcher, 'clock');
