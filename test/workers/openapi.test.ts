import { SELF } from 'cloudflare:test';
import { openapiCases } from '../cases/openapi.cases.js';

openapiCases((path, init) => SELF.fetch(`http://edgecart.test${path}`, init));
