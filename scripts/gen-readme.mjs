// Rewrites the findings table in README.md from src/core/findings.ts (run after `npm run build`).
// A test fails when the README's table differs from what this would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { findingsTable } from './findings-table.mjs';

const target = new URL('../README.md', import.meta.url);
const readme = readFileSync(target, 'utf8');
const next = readme.replace(
  /<!-- findings-table -->[\s\S]*?<!-- \/findings-table -->/,
  `<!-- findings-table -->\n${await findingsTable()}<!-- /findings-table -->`,
);
writeFileSync(target, next);
console.log('README.md findings table updated');
