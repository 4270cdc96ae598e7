#!/usr/bin/env node
// The command-line program: the same job as the action, with flags named
// like the action's inputs, printed for a terminal.
import { main } from './cli/main.js'

// Exiting at once ends steps that a cancel or timeout abandoned.
process.exit(await main(process.argv.slice(2)))
