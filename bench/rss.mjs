// Preloaded into a measured process (node --import): reports its peak resident memory on exit.
import { writeFileSync } from 'node:fs';

const out = process.env.CREATIO_SSO_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
