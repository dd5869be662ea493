#!/usr/bin/env node
import module from 'node:module';

// Cache compiled code between runs: start-up is most of what a short command costs.
module.enableCompileCache?.();
await import('../dist/main.js');
