// Prints the README's configuration table, generated from src/config.ts (run after `npm run build`).
import { configTable } from '../dist/config.js';

console.log(configTable());
