import { g as getInput } from './core.js';
import { readdir, readFile, mkdir, writeFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { e as errorMessage, U as UserError, A as ActionUi } from './ui.js';
import { i as isProblem, k as checkReport, S as SUITE, l as escapeMarkdownInline, o as outcomeText, e as truncateLine, c as findNowPassing, m as downloadRunArtifacts, t as truncateUtf8, G as GitHubArtifactService, D as DEFAULT_SUMMARY_BYTES } from './summary.js';

// The compatibility table of a whole matrix: the JSON reports of every
// architecture, collected from a folder and rendered as Markdown.
/** Lists the *.json files under dir, recursively, without following links. */
async function findJsonFiles(dir) {
    const found = [];
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory())
            found.push(...(await findJsonFiles(full)));
        else if (entry.isFile() && entry.name.endsWith('.json'))
            found.push(full);
    }
    return found.sort();
}
const LEFT_OUT = 'It is left out of the table.';
/** Reads one file; returns undefined, after logging why, when it is no report. */
async function readCandidate(file, ui) {
    let value;
    try {
        value = JSON.parse(await readFile(file, 'utf8'));
    }
    catch (error) {
        ui.warning(`Report ${file} is not valid JSON: ${errorMessage(error)}. ${LEFT_OUT}`);
        return undefined;
    }
    if (typeof value !== 'object' ||
        value === null ||
        !('schemaVersion' in value)) {
        ui.debug(`Skipping ${file}: it has no schemaVersion, so it is no report.`);
        return undefined;
    }
    try {
        return checkReport(value, file);
    }
    catch (error) {
        ui.warning(`${errorMessage(error)} ${LEFT_OUT}`);
        return undefined;
    }
}
/**
 * Reads every rump-cross report under dir, recursively. Files that are not
 * valid JSON or do not match the report schema are skipped with a warning
 * naming the file. When two reports cover the same architecture, the one that
 * started last is kept. The result is sorted by architecture.
 */
async function collectReports(dir, ui) {
    const byArch = new Map();
    for (const file of await findJsonFiles(dir)) {
        const report = await readCandidate(file, ui);
        if (report === undefined)
            continue;
        const earlier = byArch.get(report.arch);
        if (earlier === undefined) {
            byArch.set(report.arch, { file, report });
            continue;
        }
        const newer = Date.parse(report.startedAt) > Date.parse(earlier.report.startedAt);
        const usedFile = newer ? file : earlier.file;
        const ignoredFile = newer ? earlier.file : file;
        ui.info(`Two reports for ${report.arch}: using ${usedFile}, which started later, and ignoring ${ignoredFile}.`);
        if (newer)
            byArch.set(report.arch, { file, report });
    }
    return [...byArch.values()].sort((a, b) => a.report.arch.localeCompare(b.report.arch));
}
/** Returns whether a run has a result that known-issues does not list. */
function hasUnexpected(report) {
    if (report.outcome !== 'passed')
        return true;
    return report.tests.some(test => isProblem(test.outcome) && !test.expected);
}
function isFine(test) {
    if (test.outcome === 'passed' || test.outcome === 'skipped')
        return true;
    return isProblem(test.outcome) && test.expected === true;
}
/**
 * Returns whether every test passed or was skipped, apart from expected
 * problems.
 */
function isWorking(report) {
    return (report.outcome === 'passed' &&
        report.tests.length > 0 &&
        report.tests.every(isFine));
}
function testIds(tests) {
    return tests.map(test => `${test.id} ${test.outcome}`).join(', ');
}
/** Describes what is wrong with a run, or what is known, in one line. */
function describeReport(report) {
    const parts = [];
    const problems = report.tests.filter(test => isProblem(test.outcome));
    const unexpected = problems.filter(test => !test.expected);
    // A failed run without an unexpected test result, such as a build failure,
    // is explained by its error.
    if (report.outcome !== 'passed' && unexpected.length === 0) {
        const cause = report.error ? `: ${truncateLine(report.error, 300)}` : '';
        parts.push(`${report.outcome}${cause}`);
    }
    if (unexpected.length > 0)
        parts.push(testIds(unexpected));
    const notRun = report.tests.filter(test => test.outcome === 'not-run');
    const suiteRan = report.tests.some(test => test.outcome !== 'not-run');
    const noneRan = report.tests.every(test => test.outcome === 'not-run');
    if (noneRan && report.outcome === 'passed') {
        parts.push('built, but no tests ran');
    }
    else if (notRun.length > 0 && suiteRan) {
        parts.push(`not run: ${notRun.map(test => test.id).join(', ')}`);
    }
    const expected = problems.filter(test => test.expected);
    if (expected.length > 0)
        parts.push(`known issues: ${testIds(expected)}`);
    const nowPassing = findNowPassing(report.tests, report.knownIssues ?? []);
    if (nowPassing.length > 0) {
        const issues = nowPassing.map(issue => `${issue.test}: ${issue.kind}`);
        parts.push(`known issues that now pass: ${issues.join(', ')}`);
    }
    return parts.join('; ');
}
function cell(report, id) {
    const test = report.tests.find(t => t.id === id);
    if (test === undefined)
        return 'not run';
    return outcomeText(test).replace(' (known issue)', ' (known)');
}
function table(reports) {
    const ids = SUITE.map(test => test.id);
    const header = ['architecture', 'run', ...ids];
    const rows = reports.map(report => {
        const cells = [
            escapeMarkdownInline(report.arch),
            hasUnexpected(report) ? `**${report.outcome}**` : report.outcome,
            ...ids.map(id => cell(report, id))
        ];
        return `| ${cells.join(' | ')} |`;
    });
    return [
        `| ${header.map(escapeMarkdownInline).join(' | ')} |`,
        `|${' --- |'.repeat(header.length)}`,
        ...rows
    ];
}
function listSection(title, reports) {
    const items = reports.map(report => {
        const details = describeReport(report);
        return details
            ? `- ${escapeMarkdownInline(report.arch)}: ${escapeMarkdownInline(details)}`
            : `- ${escapeMarkdownInline(report.arch)}`;
    });
    return [
        `### ${title} (${reports.length})`,
        '',
        ...(items.length ? items : ['- none'])
    ];
}
/**
 * Renders the compatibility table of a matrix: one row per architecture and
 * one column per suite test, then the working architectures and those with
 * issues. Unexpected results are bold, and expected ones are marked
 * "(known)". An architecture works when it passed and every test passed, was
 * skipped or failed only as known-issues expects.
 */
function renderMatrix(reports) {
    const lines = ['## rump-cross compatibility', ''];
    if (reports.length === 0) {
        lines.push('No rump-cross reports were found.');
        return `${lines.join('\n')}\n`;
    }
    const working = reports.filter(isWorking);
    const withIssues = reports.filter(report => !isWorking(report));
    lines.push(...table(reports), '', 'Bold results are unexpected. Results marked (known) are listed in known-issues and do not fail the run.', '', ...listSection('Working', working), '', ...listSection('With issues', withIssues));
    return `${lines.join('\n')}\n`;
}

// The `report` sub-action: collects the JSON reports of every matrix job and
// writes one compatibility table to a file and to the job summary.
const REPORT_INPUTS = {
    'fail-on': {
        default: 'none'
    }
};
/** File name of the table under the runner's temporary folder. */
const MATRIX_FILE = 'rump-cross-matrix.md';
/** Reads and validates the inputs; throws UserError on a bad one. */
function readReportInputs(read, cwd) {
    const failOn = read('fail-on').trim() || REPORT_INPUTS['fail-on'].default;
    if (failOn !== 'none' && failOn !== 'unexpected') {
        throw new UserError(`Input fail-on "${failOn}" is not valid. Use none, or unexpected to fail when an architecture has an unexpected result.`);
    }
    const folder = read('path').trim();
    return { path: folder ? path.resolve(cwd, folder) : undefined, failOn };
}
async function requireFolder(folder) {
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) {
        throw new UserError(`Input path "${folder}" was not found or is not a folder. Give the folder that contains the reports, or leave path empty to download the rump-cross-* artifacts of this run.`);
    }
}
async function reportFolder(inputs, deps) {
    if (inputs.path !== undefined) {
        await requireFolder(inputs.path);
        return inputs.path;
    }
    const folder = path.join(deps.tempDir, 'rump-cross-reports');
    await mkdir(folder, { recursive: true });
    await deps.ui.group('Download the reports', () => downloadRunArtifacts(folder, deps.ui, deps.artifacts));
    return folder;
}
async function publishTable(markdown, deps) {
    await mkdir(deps.tempDir, { recursive: true });
    const file = path.join(deps.tempDir, MATRIX_FILE);
    await writeFile(file, markdown);
    deps.ui.setOutput('table', file);
    deps.ui.info(`Wrote the compatibility table to ${file}.`);
    const note = `\n_The table was cut to fit the job summary; the full table is ${file}._\n`;
    await deps.ui.appendSummary(truncateUtf8(markdown, DEFAULT_SUMMARY_BYTES, note));
    return file;
}
/**
 * Runs the report action: reads the reports, writes the table and decides
 * the step's result. Returns false when the step should fail; every error is
 * reported through ui and never thrown.
 */
async function reportMatrix(deps) {
    const { ui } = deps;
    try {
        const inputs = readReportInputs(deps.read, deps.cwd);
        const folder = await reportFolder(inputs, deps);
        const reports = (await collectReports(folder, ui)).map(c => c.report);
        await publishTable(renderMatrix(reports), deps);
        if (reports.length === 0) {
            const message = `No rump-cross reports were found in ${folder}. Check that the matrix jobs ran with upload-logs: true, or that path points at their reports.`;
            if (inputs.failOn === 'unexpected') {
                ui.error(message);
                return false;
            }
            ui.warning(message);
            return true;
        }
        const failing = reports.filter(hasUnexpected);
        if (inputs.failOn === 'unexpected' && failing.length > 0) {
            const list = failing.map(r => `${r.arch} (${r.outcome})`).join(', ');
            ui.error(`${failing.length} of ${reports.length} architectures have unexpected results: ${list}. See the table in the job summary.`);
            return false;
        }
        return true;
    }
    catch (error) {
        if (!(error instanceof UserError) && error instanceof Error) {
            ui.debug(error.stack ?? '');
        }
        ui.error(errorMessage(error));
        return false;
    }
}
/** Entry of the report action, with the runner's inputs and services. */
async function runReport() {
    const ok = await reportMatrix({
        ui: new ActionUi(),
        read: name => getInput(name),
        artifacts: new GitHubArtifactService(),
        tempDir: process.env.RUNNER_TEMP || os.tmpdir(),
        cwd: process.cwd()
    });
    if (!ok)
        process.exitCode = 1;
}

export { runReport as a, reportMatrix as r };
