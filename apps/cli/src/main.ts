#!/usr/bin/env node
import { run } from './cli.js';
import { processContext } from './context.js';

const code = await run(process.argv.slice(2), processContext());
// Exit explicitly: a client library's stray timer must not keep a finished command alive.
process.exit(code);
