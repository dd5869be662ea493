// Preloaded into a measured process (node --import): reports its peak resident memory on exit, and which
// bundles bin/load.js loaded with whether V8 took their code caches.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const out = process.env.CREATIO_SSO_BENCH_RSS_FILE;
const loader = fileURLToPath(new URL('../bin/load.js', import.meta.url));
const require = createRequire(import.meta.url);
if (out) {
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS));
    if (require.cache[loader]) writeFileSync(`${out}.caches`, JSON.stringify(require(loader).status()));
  });
}
