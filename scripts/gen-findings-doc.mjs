// Rewrites the findings table in docs/findings.md from src/core/findings.ts (run after `npm run build`).
// A test fails when the table there differs from what this would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { findingsTable } from './findings-table.mjs';

const target = new URL('../docs/findings.md', import.meta.url);
const doc = readFileSync(target, 'utf8');
const next = doc.replace(
  /<!-- findings-table -->[\s\S]*?<!-- \/findings-table -->/,
  `<!-- findings-table -->\n${await findingsTable()}<!-- /findings-table -->`,
);
writeFileSync(target, next);
console.log('docs/findings.md findings table updated');
