#!/usr/bin/env node
import { run } from './cli.js';
import { processContext } from './context.js';

// `friren <command>`; FRIREN_CLI_ARGS (space-separated) stands in for argv when none are given, so a
// test harness that can only set the environment can still pick the command.
const argv = process.argv.slice(2);
const args = argv.length > 0 ? argv : (process.env['FRIREN_CLI_ARGS']?.split(/\s+/).filter(Boolean) ?? []);
const code = await run(args, processContext());
// Exit explicitly: a client library's stray timer must not keep a finished command alive.
process.exit(code);
