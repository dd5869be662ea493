#!/usr/bin/env node
import module from 'node:module';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // The commonest probe of a CLI answers without loading the CLI at all.
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // Cache compiled code between runs: start-up is most of what a short command costs.
  module.enableCompileCache?.();
  await import('../dist/main.js');
}
