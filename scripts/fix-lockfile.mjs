#!/usr/bin/env node
// `npm install` leaves chdb's optional platform packages for other platforms out of
// package-lock.json because this registry answers 404 for them, and `npm ci` then refuses
// the lockfile ("Missing: @chdb/lib-darwin-arm64 from lock file"). Recording them as
// optional entries with their os/cpu lets npm skip them on linux-x64 and keeps `npm ci` working.
// Run after every lockfile regeneration: `node scripts/fix-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const chdb = lock.packages['node_modules/chdb'];
/** @type {Record<string, { os: string[]; cpu: string[]; libc?: string[] }>} */
const platforms = {
  '@chdb/lib-darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  '@chdb/lib-darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  '@chdb/lib-linux-arm64-gnu': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  '@chdb/lib-linux-x64-gnu': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
};
const wanted = Object.keys(chdb?.optionalDependencies ?? {});
const version = lock.packages['node_modules/@chdb/lib-linux-x64-gnu']?.version;
if (!version) throw new Error('package-lock.json has no @chdb/lib-linux-x64-gnu entry; run npm install first');

let added = 0;
for (const name of wanted) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const platform = platforms[name];
  if (!platform) throw new Error(`unknown chdb platform package ${name}: add its os/cpu to scripts/fix-lockfile.mjs`);
  lock.packages[key] = { version, optional: true, ...platform };
  added++;
}
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`fix-lockfile: ${added} chdb platform entr${added === 1 ? 'y' : 'ies'} added`);
