#!/usr/bin/env node
// The command-line program: the same job as the action, with flags named
// like the action's inputs, printed for a terminal.
import { main } from './cli/main.js'

process.exitCode = await main(process.argv.slice(2))
