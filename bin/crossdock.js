#!/usr/bin/env node
// The `crossdock` command. Node 20 cannot run TypeScript, so tsx compiles src/cli on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
