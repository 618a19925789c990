import { SELF } from 'cloudflare:test';
import { classicCases } from '../cases/classic.cases.js';
import type { Fetcher } from '../cases/client.js';
import { healthCases } from '../cases/health.cases.js';

const fetcher: Fetcher = (path, init) => SELF.fetch(`http://edgecart.test${path}`, init);
healthCases(fetcher);
classicCases(fetcher);
