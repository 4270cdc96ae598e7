import { g as getInput, s as setOutput, a as setFailed } from './chunks/core.js';
import { e as errorMessage, A as ActionUi } from './chunks/ui.js';
import { r as readInputs, a as runJob, d as defaultTempDir } from './chunks/job.js';
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
import 'node:util';
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
import 'node:crypto';
import 'node:os';
import 'node:path';
import './chunks/summary.js';
import 'node:fs/promises';
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

// The action's main step: read the inputs the runner passes, run the job,
// and fail the step when the run did not pass.
async function run() {
    let inputs;
    try {
        inputs = readInputs(name => getInput(name));
    }
    catch (error) {
        setOutput('outcome', 'setup-failed');
        setFailed(errorMessage(error));
        return;
    }
    try {
        const report = await runJob(inputs, new ActionUi(), {
            env: process.env,
            tempDir: defaultTempDir(process.env),
            workspace: process.env.GITHUB_WORKSPACE
        });
        if (report.outcome !== 'passed') {
            setFailed(report.error ?? `rump-cross ${inputs.arch.name}: ${report.outcome}`);
        }
    }
    catch (error) {
        setFailed(errorMessage(error));
    }
}

await run();
// A step abandoned by a cancel or timeout, such as a stalled download, would
// keep the event loop alive. The report is written by now, so exit.
process.exit();
