#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { G as GitHubArtifactService, f as formatDuration } from './chunks/summary.js';
import { e as errorMessage, T as TerminalUi } from './chunks/ui.js';
import { I as INPUTS, r as readInputs, d as defaultTempDir, a as runJob } from './chunks/job.js';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { r as reportMatrix } from './chunks/action.js';
import 'node:crypto';
import './chunks/core.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';
import 'node:fs';
import 'node:timers/promises';
import 'node:child_process';
import 'node:string_decoder';
import './chunks/post.js';
import 'stream';
import 'url';
import './chunks/service-type.js';
import 'node:process';
import 'tty';
import 'node:module';
import 'node:https';
import 'buffer';
import 'zlib';

// `rump-cross report DIR`: the report sub-action for a folder of reports on
// a terminal.
const REPORT_USAGE = `Usage: rump-cross report DIR [--fail-on none|unexpected]

Reads every rump-cross JSON report under DIR and prints one compatibility
table, architectures by tests. --fail-on unexpected makes the exit status 1
when an architecture has a result that its known-issues did not list.`;
/** Runs the report command and returns its exit status. */
async function reportMatrixCommand(argv) {
    let folder;
    let failOn = '';
    try {
        const { values, positionals } = parseArgs({
            args: [...argv],
            options: {
                'fail-on': { type: 'string' },
                help: { type: 'boolean', short: 'h' }
            },
            allowPositionals: true
        });
        if (values.help) {
            process.stdout.write(`${REPORT_USAGE}\n`);
            return 0;
        }
        if (positionals.length !== 1) {
            throw new Error('give exactly one folder of reports');
        }
        folder = positionals[0];
        failOn = values['fail-on'] ?? '';
    }
    catch (error) {
        process.stderr.write(`rump-cross report: ${errorMessage(error)}\n${REPORT_USAGE}\n`);
        return 2;
    }
    const ui = new TerminalUi(process.stdout);
    const values = {
        path: folder,
        'fail-on': failOn
    };
    const ok = await reportMatrix({
        ui,
        read: name => values[name],
        // Outside GitHub the service reports itself unavailable; with a folder
        // it is not used at all.
        artifacts: new GitHubArtifactService({}),
        tempDir: process.env.RUNNER_TEMP || os.tmpdir(),
        cwd: process.cwd()
    });
    const table = ui.outputs.get('table');
    if (table)
        process.stdout.write(`\n${await readFile(table, 'utf8')}`);
    return ok ? 0 : 1;
}

const USAGE = `Usage: rump-cross --arch ARCH [options]
       rump-cross report DIR [--fail-on none|unexpected]

Cross-builds NetBSD rump kernels with buildrump.sh for ARCH and runs the
tests under qemu user-mode emulation. Options are named like the inputs of
the GitHub Action; list inputs (toolchain-url, known-issues) may be given
more than once. Example for a machine without internet access:

  rump-cross --arch powerpc \\
    --toolchain-url http://127.0.0.1:8000/{triple}-cross.tgz \\
    --buildrump-path ~/buildrump.sh

Options:
${Object.entries(INPUTS)
    .map(([name, spec]) => {
    const fallback = spec.default === '' ? '' : ` (default: ${spec.default})`;
    return `  --${name.padEnd(17)} ${spec.description}${fallback}`;
})
    .join('\n')}
  --verbose           Print buildrump.sh output as it runs.
  --help              Print this help.

Exit status: 0 when the run passed, 1 when it did not, 2 for bad usage.`;
const LIST_INPUTS = new Set(['toolchain-url', 'known-issues']);
function formatResults(report) {
    const lines = [
        '',
        `Results for ${report.arch} (${report.triple}, NetBSD ${report.netbsdMachine}):`
    ];
    for (const test of report.tests) {
        const time = test.durationMs === undefined ? '' : ` ${formatDuration(test.durationMs)}`;
        const expected = test.expected ? ' (known issue)' : '';
        lines.push(`  ${test.outcome.padEnd(8)} ${test.id}${time}${expected}`);
    }
    lines.push(`Outcome: ${report.outcome} after ${formatDuration(report.durationMs)}`);
    if (report.error)
        lines.push(`Error: ${report.error}`);
    lines.push(`Log: ${report.log}`);
    return lines.join('\n');
}
/**
 * Joins `--args VALUE` into `--args=VALUE`: buildrump.sh options start with
 * a dash, which parseArgs would otherwise take for a flag of its own.
 */
function joinOptionValues(argv) {
    const joined = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === '--args' && i + 1 < argv.length) {
            joined.push(`--args=${argv[++i]}`);
        }
        else {
            joined.push(argv[i]);
        }
    }
    return joined;
}
/**
 * Keeps the toolkit's `::debug::` lines (written straight to stdout by
 * @actions/tool-cache and @actions/cache) off the terminal, or shows them
 * as plain debug lines with --verbose.
 */
function hideWorkflowDebugLines(verbose) {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk, ...rest) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
        if (!text.startsWith('::debug::'))
            return write(chunk, ...rest);
        return verbose
            ? write(`debug: ${text.slice('::debug::'.length)}`, ...rest)
            : true;
    });
}
/** Runs the CLI with the given arguments and returns its exit status. */
async function main(argv) {
    if (argv[0] === 'report')
        return reportMatrixCommand(argv.slice(1));
    const options = Object.fromEntries(Object.keys(INPUTS).map(name => [
        name,
        { type: 'string', multiple: LIST_INPUTS.has(name) }
    ]));
    let values;
    try {
        values = parseArgs({
            args: joinOptionValues(argv),
            options: {
                ...options,
                verbose: { type: 'boolean' },
                help: { type: 'boolean', short: 'h' }
            },
            allowPositionals: false
        }).values;
    }
    catch (error) {
        process.stderr.write(`rump-cross: ${errorMessage(error)}\n\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const read = (name) => {
        const value = values[name];
        if (Array.isArray(value))
            return value.join('\n');
        return typeof value === 'string' ? value : '';
    };
    let inputs;
    try {
        inputs = readInputs(read);
    }
    catch (error) {
        process.stderr.write(`rump-cross: ${errorMessage(error)}\n`);
        return 2;
    }
    const verbose = values.verbose === true;
    hideWorkflowDebugLines(verbose);
    const ui = new TerminalUi(process.stdout, verbose);
    const tempDir = defaultTempDir(process.env);
    const report = await runJob(inputs, ui, {
        env: process.env,
        tempDir,
        workspace: path.resolve('.')
    });
    process.stdout.write(`${formatResults(report)}\n`);
    return report.outcome === 'passed' ? 0 : 1;
}

// The command-line program: the same job as the action, with flags named
// like the action's inputs, printed for a terminal.
// Exiting at once ends steps that a cancel or timeout abandoned.
process.exit(await main(process.argv.slice(2)));
