// Writes schema/creatio-sso.schema.json from the zod schema (run after `npm run build`).
// A test fails when the committed file differs from what this would write.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/core/config/schema.js';

const target = new URL('../schema/creatio-sso.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
