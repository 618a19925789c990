import { SELF } from 'cloudflare:test';
import type { Fetcher } from '../cases/client.js';
import { v1Cases } from '../cases/v1.cases.js';

const fetcher: Fetcher = (path, init) => SELF.fetch(`http://edgecart.test${path}`, init);
v1Cases(fetcher);
