import { execSync } from 'node:child_process';

/** The server tests run the built `dist/node.js`, as `npm start` does, so build it first. */
export default function setup() {
  execSync('npm run --silent build', { stdio: 'inherit' });
}
