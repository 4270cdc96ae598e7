import { i as info, d as debug, p as notice, b as warning, k as error, q as group, s as setOutput, t as addPath, u as summary } from './core.js';
import { randomBytes } from 'node:crypto';

/**
 * An error caused by input or environment that the user can fix. Its message
 * is shown as it is, without a stack trace, and names what to do next.
 */
class UserError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UserError';
    }
}
/** Turns anything thrown into a one-paragraph message for the log. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    if (typeof error === 'string')
        return error;
    return String(error);
}

// The seam between the run and where its messages go: workflow commands
// when running as an action, plain text on a terminal for the CLI.
/** Writes through @actions/core, the way the runner expects. */
class ActionUi {
    info(message) {
        info(message);
    }
    debug(message) {
        debug(message);
    }
    notice(message, annotation) {
        notice(message, annotation);
    }
    warning(message, annotation) {
        warning(message, annotation);
    }
    error(message, annotation) {
        error(message, annotation);
    }
    group(title, fn) {
        return group(title, fn);
    }
    output(lines) {
        if (lines.length === 0)
            return;
        // The runner ignores every command between `::stop-commands::<token>`
        // and `::<token>::`; a fresh random token cannot appear in the output.
        const token = randomBytes(16).toString('hex');
        process.stdout.write(`::stop-commands::${token}\n${lines.join('\n')}\n::${token}::\n`);
    }
    setOutput(name, value) {
        setOutput(name, value);
    }
    addPath(dir) {
        addPath(dir);
    }
    async appendSummary(markdown) {
        if (!process.env.GITHUB_STEP_SUMMARY)
            return;
        await summary.addRaw(markdown, true).write();
        summary.emptyBuffer();
    }
}
/** Writes plain text for a person at a terminal. */
class TerminalUi {
    out;
    verbose;
    outputs = new Map();
    depth = 0;
    constructor(out = process.stdout, verbose = false) {
        this.out = out;
        this.verbose = verbose;
    }
    write(text) {
        const indent = '  '.repeat(this.depth);
        for (const line of text.split('\n'))
            this.out.write(`${indent}${line}\n`);
    }
    annotate(kind, message, a) {
        const where = a?.file
            ? ` (${a.file}${a.startLine ? `:${a.startLine}` : ''})`
            : '';
        const title = a?.title ? `${a.title}: ` : '';
        this.write(`${kind}: ${title}${message}${where}`);
    }
    info(message) {
        this.write(message);
    }
    debug(message) {
        if (this.verbose)
            this.write(`debug: ${message}`);
    }
    notice(message, annotation) {
        this.annotate('notice', message, annotation);
    }
    warning(message, annotation) {
        this.annotate('warning', message, annotation);
    }
    error(message, annotation) {
        this.annotate('error', message, annotation);
    }
    async group(title, fn) {
        this.write(`== ${title}`);
        this.depth++;
        try {
            return await fn();
        }
        finally {
            this.depth--;
        }
    }
    output(lines) {
        if (this.verbose)
            for (const line of lines)
                this.write(line);
    }
    setOutput(name, value) {
        this.outputs.set(name, String(value));
    }
    addPath(dir) {
        process.env.PATH = `${dir}:${process.env.PATH ?? ''}`;
    }
    async appendSummary(_markdown) { }
}

export { ActionUi as A, TerminalUi as T, UserError as U, errorMessage as e };
