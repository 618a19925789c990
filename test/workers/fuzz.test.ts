import { SELF } from 'cloudflare:test';
import { fuzzCases } from '../cases/fuzz.cases.js';

fuzzCases((path, init) => SELF.fetch(`http://edgecart.test${path}`, init));
