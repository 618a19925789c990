import { SELF } from 'cloudflare:test';
import { raceCases } from '../cases/race.cases.js';

// Concurrent fetches into the Worker inside workerd, over D1.
raceCases((path, init) => SELF.fetch(`http://edgecart.test${path}`, init));
