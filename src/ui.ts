// The seam between the run and where its messages go: workflow commands
// when running as an action, plain text on a terminal for the CLI.
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'

export interface Annotation {
  readonly title?: string
  readonly file?: string
  readonly startLine?: number
  readonly startColumn?: number
}

export interface Ui {
  info(message: string): void
  debug(message: string): void
  notice(message: string, annotation?: Annotation): void
  warning(message: string, annotation?: Annotation): void
  error(message: string, annotation?: Annotation): void
  /** Runs fn inside a collapsible group titled `title`. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  /**
   * Prints lines of child process output. They are shown as text and can
   * never act as workflow commands.
   */
  output(lines: readonly string[]): void
  setOutput(name: string, value: string | number | boolean): void
  addPath(dir: string): void
  /** Appends Markdown to the job summary, when there is one. */
  appendSummary(markdown: string): Promise<void>
}

/** Writes through @actions/core, the way the runner expects. */
export class ActionUi implements Ui {
  info(message: string): void {
    core.info(message)
  }
  debug(message: string): void {
    core.debug(message)
  }
  notice(message: string, annotation?: Annotation): void {
    core.notice(message, annotation)
  }
  warning(message: string, annotation?: Annotation): void {
    core.warning(message, annotation)
  }
  error(message: string, annotation?: Annotation): void {
    core.error(message, annotation)
  }
  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(title, fn)
  }
  output(lines: readonly string[]): void {
    if (lines.length === 0) return
    // The runner ignores every command between `::stop-commands::<token>`
    // and `::<token>::`; a fresh random token cannot appear in the output.
    const token = randomBytes(16).toString('hex')
    process.stdout.write(
      `::stop-commands::${token}\n${lines.join('\n')}\n::${token}::\n`
    )
  }
  setOutput(name: string, value: string | number | boolean): void {
    core.setOutput(name, value)
  }
  addPath(dir: string): void {
    core.addPath(dir)
  }
  async appendSummary(markdown: string): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY) return
    await core.summary.addRaw(markdown, true).write()
    core.summary.emptyBuffer()
  }
}

/** Writes plain text for a person at a terminal. */
export class TerminalUi implements Ui {
  readonly outputs = new Map<string, string>()
  private depth = 0

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly verbose = false
  ) {}

  private write(text: string): void {
    const indent = '  '.repeat(this.depth)
    for (const line of text.split('\n')) this.out.write(`${indent}${line}\n`)
  }
  private annotate(kind: string, message: string, a?: Annotation): void {
    const where = a?.file
      ? ` (${a.file}${a.startLine ? `:${a.startLine}` : ''})`
      : ''
    const title = a?.title ? `${a.title}: ` : ''
    this.write(`${kind}: ${title}${message}${where}`)
  }
  info(message: string): void {
    this.write(message)
  }
  debug(message: string): void {
    if (this.verbose) this.write(`debug: ${message}`)
  }
  notice(message: string, annotation?: Annotation): void {
    this.annotate('notice', message, annotation)
  }
  warning(message: string, annotation?: Annotation): void {
    this.annotate('warning', message, annotation)
  }
  error(message: string, annotation?: Annotation): void {
    this.annotate('error', message, annotation)
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.write(`== ${title}`)
    this.depth++
    try {
      return await fn()
    } finally {
      this.depth--
    }
  }
  output(lines: readonly string[]): void {
    if (this.verbose) for (const line of lines) this.write(line)
  }
  setOutput(name: string, value: string | number | boolean): void {
    this.outputs.set(name, String(value))
  }
  addPath(dir: string): void {
    process.env.PATH = `${dir}:${process.env.PATH ?? ''}`
  }
  async appendSummary(_markdown: string): Promise<void> {}
}
