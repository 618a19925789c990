import { SELF } from 'cloudflare:test';
import { typedClientCases } from '../cases/client.cases.js';
import type { Fetcher } from '../cases/client.js';
import { v1Cases } from '../cases/v1.cases.js';

const fetcher: Fetcher = (path, init) => SELF.fetch(`http://edgecart.test${path}`, init);
v1Cases(fetcher);
typedClientCases(fetcher);
