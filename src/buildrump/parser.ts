// Incremental parser for the merged stdout and stderr of buildrump.sh. The
// shapes it recognizes come from rumpkernel/buildrump.sh 6cccd46: die() in
// subr.sh prints `>> ERROR:` and then `>> <message>`, and tests/testrump.sh
// prints `Running simple tests`, one title per test, an end word, and
// `Success` or `>> FAILED N tests!`.
import type { BuildError, TestOutcome, TestResult } from '../results.js'
import { SUITE, type SuiteTest } from './suite.js'

/** Something the tracker recognized in the output, in output order. */
export type TrackerEvent =
  /** A complete line without ANSI codes, reduced to the text after its last `\r`. */
  | { readonly type: 'line'; readonly text: string; readonly lineNo: number }
  /** `Running simple tests`. */
  | { readonly type: 'suite-start'; readonly at: number }
  /** The banner testrump.sh prints when the build is not native. */
  | { readonly type: 'non-native'; readonly at: number }
  /** A test printed its title, possibly on a line that is still open. */
  | { readonly type: 'test-start'; readonly id: string; readonly at: number }
  /** A test got its outcome, from the output or from an override. */
  | {
      readonly type: 'test-end'
      readonly id: string
      readonly outcome: TestOutcome
      readonly reason?: string
      readonly at: number
    }
  /** The running test printed a signal message of qemu or of the shell. */
  | {
      readonly type: 'crash-marker'
      readonly id: string
      readonly text: string
      readonly at: number
    }
  | { readonly type: 'build-error'; readonly error: BuildError }
  /**
   * buildrump.sh's die(). `test` names the test whose failure it reports.
   * When the output ended before the message line, `message` states that.
   */
  | {
      readonly type: 'die'
      readonly message: string
      readonly test?: string
      readonly at: number
    }
  /** `Success`, or `>> FAILED N tests!` with N in `failedCount`. */
  | {
      readonly type: 'suite-end'
      readonly success: boolean
      readonly failedCount?: number
      readonly at: number
    }
  /**
   * The run is over. `success` is true when buildrump.sh printed its success
   * line. When it did not, end() emits this event with false.
   */
  | { readonly type: 'done'; readonly success: boolean; readonly at: number }

/** Facts about a whole run, besides the per-test results. */
export interface RunSummary {
  readonly buildErrors: BuildError[]
  /** Message of the last die() that no test claimed: why buildrump.sh stopped. */
  readonly die?: string
  /** Whether buildrump.sh printed its success line. */
  readonly success: boolean
  /** Whether the tests warned that the build is not native. */
  readonly nonNative: boolean
  readonly suiteStarted: boolean
}

export interface ParsedLog extends RunSummary {
  readonly events: TrackerEvent[]
  readonly tests: TestResult[]
}

/** Lines kept in each result's `output`. */
export const MAX_OUTPUT_LINES = 30
/** Characters kept of each line in `output`, and of build error messages. */
export const MAX_OUTPUT_LINE_CHARS = 500
/** Distinct build errors kept. Later ones are dropped. */
export const MAX_BUILD_ERRORS = 1000
// Error prefixes are at the start of a line, so the rest is not searched.
const BUILD_ERROR_SCAN_CHARS = 4096

// An unterminated line may grow without limit. Past MAX_LINE_CHARS only its
// end is kept, from an offset that depends on the line length alone, so the
// kept text does not depend on how the output was split into chunks.
const MAX_LINE_CHARS = 1 << 20
const KEPT_LINE_CHARS = 1 << 19
const LINE_DROP_BLOCK = 1 << 16

export const BUILD_FAILED_REASON = 'test program failed to build'
const SKIP_MESSAGE = 'component load failed, skipping test'
const MISSING_DIE_MESSAGE =
  'buildrump.sh printed ">> ERROR:" and the output ended before its message'

// testrump.sh prints the titles that end in '...' with printf and no
// newline and ends those tests with `done`. The other titles are printed
// with echo and those tests end with `Done`.
const INLINE_TITLES = SUITE.filter(test => test.title.endsWith('...'))
const ECHO_TITLES = new Map(
  SUITE.flatMap((test, index) =>
    test.title.endsWith('...') ? [] : [[test.title, index] as const]
  )
)
const INLINE_TITLE_RE = new RegExp(
  INLINE_TITLES.map(test => escapeRegExp(test.title)).join('|'),
  'g'
)
const MAX_INLINE_TITLE_CHARS = Math.max(
  ...INLINE_TITLES.map(test => test.title.length)
)

// CSI, OSC (capped so that a stray ESC cannot hold back unlimited text),
// character set selection, and the other two-byte escapes. ANSI_PREFIX_RE
// matches an incomplete sequence at the end of a chunk.
/* eslint-disable no-control-regex */
const ANSI_RE =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]{0,4096}(?:\x07|\x1b\\)|[()*+][ -~]|[@-_])/g
const ANSI_PREFIX_RE =
  /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b\n]{0,4096}\x1b?|[()*+])?$/
/* eslint-enable no-control-regex */
const ANSI_PREFIX_WINDOW = 4200

// qemu-user prints QEMU_SIGNAL_RE when a signal kills the guest. dash prints
// SHELL_SIGNAL_RE's names (glibc's strsignal texts of the signals a faulting
// program gets) when a signal kills a child, and bash prefixes them with
// `<script>: line N: <pid>`. Both add `(core dumped)` to the
// names of the other signals that dump core.
const QEMU_SIGNAL_RE =
  /qemu: uncaught target signal \d+ \([^)]*\)(?: - [a-z ]+)?/
const SHELL_SIGNAL_RE =
  /^(?:.*: line \d+: +\d+ +)?(?:Segmentation fault|Aborted|Illegal instruction|Bus error|Floating point exception|Trace\/breakpoint trap|Bad system call)\b(?: +\(core dumped\))?/
const CORE_DUMPED_RE = /\(core dumped\)/

const NON_NATIVE_RE = /^>> WARNING!\s+Running tests on non-native build!$/
const FAILED_TESTS_RE = /^FAILED (\d+) tests!$/
const SUCCESS_LINE = '>> buildrump.sh ran successfully'

// `file:line:col: error: msg` and `file:line: error: msg` from gcc and clang.
const COMPILER_ERROR_RE =
  /^([^\s:][^:]*):(\d+):(?:(\d+):)? (?:fatal )?error: (.*\S)/
// GNU ld, with or without its path, then `file:(section+offset):` or
// `file:line:` and the message.
const LINKER_ERROR_RE =
  /^(?:\S*\bld(?:\.[a-z]+)?: )?(?:([^\s:][^:]*?):(?:(\d+)|\([^)]*\)): )?((?:undefined reference|multiple definition) .*\S)/
// A tool's error without a source location, such as
// `collect2: error: ld returned 1 exit status`.
const TOOL_ERROR_RE =
  /^(?:\S*\/)?(?:[\w.+-]*-)?(?:gcc|g\+\+|c\+\+|cc|cc1|cc1plus|clang|clang\+\+|collect2|ld|ld\.bfd|ld\.gold|ld\.lld|as)(?:-[\d.]+)?: (?:fatal )?error: \S/
// NetBSD make's `*** [target] Error code N` and GNU make's
// `make[1]: *** [Makefile:5: target] Error 2`.
const MAKE_ERROR_RE = /^(?:\S+: )?\*\*\* (?:\[.+\] )?Error(?: code)? \d+/
// NetBSD build.sh's bomb(), such as `ERROR: Build of nbmake failed`.
const BUILD_SH_ERROR_RE = /^ERROR: \S/

interface TestState {
  readonly test: SuiteTest
  /** Set once the outcome is known. A running test has none yet. */
  outcome?: TestOutcome
  reason?: string
  /** Set by an override, after which the output cannot change the outcome. */
  locked: boolean
  /** First crash marker the test printed. */
  crash?: string
  startMs?: number
  /** Time of the test's last output, for tests that end without an end word. */
  lastMs?: number
  durationMs?: number
  readonly output: string[]
}

/**
 * Follows a buildrump.sh run as its output arrives and decides the outcome
 * of each test of the suite.
 *
 * Call feed() with each chunk of the merged stdout and stderr, in the order
 * the process wrote them, and end() once at EOF. Each call returns the events
 * the new text completed. A test title is recognized as soon as it arrives,
 * even while its line is still open, so current() names a test that hangs
 * right after printing its title.
 *
 * Feed one stream with stdout and stderr joined: through two pipes, text
 * written to both within a few milliseconds may arrive swapped, such as a
 * title and the crash message of a program that fails at once.
 */
export class SuiteTracker {
  private readonly tests: TestState[] = SUITE.map(test => ({
    test,
    locked: false,
    output: []
  }))
  /** Index of the test whose title came last and whose end did not. */
  private running?: number
  /** Lowest suite index whose title is still expected. */
  private nextIndex = 0
  private suiteStarted = false
  private suiteEnded = false
  private nonNative = false
  private succeeded = false
  private ended = false
  /** Set after `>> ERROR:`, so the next line that starts with `>>` is the message. */
  private dieExpected = false
  private lastDie?: string
  private now?: number

  /** 1-based number of the line that is open now. */
  private lineNo = 1
  /** Start of an escape sequence left at the end of the last chunk. */
  private ansiCarry = ''
  /** Kept text of the open line, including `\r` and a trailing `\r`. */
  private pending = ''
  /** Offset in the open line of pending[0], nonzero after a drop. */
  private pendingBase = 0
  /** Offset in the open line where the text after the last title starts. */
  private segmentStart = 0
  /** Offset in the open line where the next title search starts. */
  private titleSearchFrom = 0
  /**
   * Text of the open line from titleSearchFrom on, at most a title long.
   * Searching it with each new piece, not all of `pending`, keeps a long
   * line fed in small chunks from costing quadratic time.
   */
  private searchTail = ''
  /** Tests whose output includes the open line. */
  private readonly lineOwners = new Set<number>()
  /** Lines printed since the last test started or ended, outside any test. */
  private gap: string[] = []

  private readonly errorLines = new Set<string>()
  private readonly errors: BuildError[] = []

  /**
   * Parses the next chunk of output. `nowMs` is the time the chunk arrived.
   * Without it, results have no durations.
   */
  feed(chunk: string, nowMs?: number): TrackerEvent[] {
    if (this.ended) throw new Error('SuiteTracker.feed() called after end()')
    this.now = nowMs
    const events: TrackerEvent[] = []
    const text = this.stripAnsi(chunk)
    let start = 0
    for (;;) {
      const newline = text.indexOf('\n', start)
      if (newline < 0) break
      this.appendToLine(text.slice(start, newline), events)
      this.completeLine(events)
      start = newline + 1
    }
    if (start < text.length) this.appendToLine(text.slice(start), events)
    return events
  }

  /**
   * Finishes the run at EOF: completes an unterminated last line, gives a test
   * that is still running its outcome and emits `done`. Later calls return
   * nothing.
   */
  end(
    nowMs?: number,
    openTestReason = 'the output ended while the test was running'
  ): TrackerEvent[] {
    if (this.ended) return []
    this.now = nowMs
    const events: TrackerEvent[] = []
    if (this.ansiCarry !== '') {
      const carry = this.ansiCarry
      this.ansiCarry = ''
      this.appendToLine(carry, events)
    }
    if (this.pending !== '' || this.pendingBase > 0) this.completeLine(events)
    const at = this.lineNo - 1

    if (this.dieExpected) {
      this.dieExpected = false
      this.lastDie = MISSING_DIE_MESSAGE
      events.push({ type: 'die', message: MISSING_DIE_MESSAGE, at })
    }
    const index = this.running
    if (index !== undefined) {
      const state = this.tests[index]
      if (state.crash !== undefined) {
        this.finishTest(index, 'crashed', state.crash, at, this.now, events)
      } else {
        this.finishTest(index, 'not-run', openTestReason, at, undefined, events)
      }
    }
    if (!this.succeeded) events.push({ type: 'done', success: false, at })
    this.ended = true
    return events
  }

  /** Returns the id of the test that runs now, as far as the output shows. */
  current(): string | undefined {
    return this.running === undefined
      ? undefined
      : this.tests[this.running].test.id
  }

  /**
   * Sets a test's outcome to hung. Later output cannot change it, and the
   * test stays current() until the suite moves on.
   */
  markHung(id: string, reason: string, nowMs?: number): TrackerEvent[] {
    return this.override(id, 'hung', reason, nowMs)
  }

  /** Sets a test's outcome to crashed, like markHung(). */
  markCrashed(id: string, reason: string, nowMs?: number): TrackerEvent[] {
    return this.override(id, 'crashed', reason, nowMs)
  }

  /**
   * Returns the nine tests in suite order. A running test is `not-run`, or
   * `crashed` after a crash marker, and its output ends with the open line.
   */
  results(): TestResult[] {
    return this.tests.map((state, index) => {
      const running = index === this.running
      let outcome: TestOutcome = state.outcome ?? 'not-run'
      let reason = state.reason
      if (state.outcome === undefined && running && state.crash !== undefined) {
        outcome = 'crashed'
        reason = state.crash
      }
      const output = [...state.output]
      if (running) {
        const open = this.lineText()
        if (open !== '') pushBounded(output, open)
      }
      const result: TestResult = {
        id: state.test.id,
        title: state.test.title,
        outcome,
        output,
        backtraces: []
      }
      if (reason !== undefined) result.reason = reason
      if (state.durationMs !== undefined) result.durationMs = state.durationMs
      return result
    })
  }

  /** Returns the distinct build errors found so far, in output order. */
  buildErrors(): BuildError[] {
    return [...this.errors]
  }

  /** Returns what the output showed about the whole run so far. */
  summary(): RunSummary {
    const summary: RunSummary = {
      buildErrors: this.buildErrors(),
      success: this.succeeded,
      nonNative: this.nonNative,
      suiteStarted: this.suiteStarted
    }
    return this.lastDie === undefined
      ? summary
      : { ...summary, die: this.lastDie }
  }

  private override(
    id: string,
    outcome: TestOutcome,
    reason: string,
    nowMs: number | undefined
  ): TrackerEvent[] {
    const index = SUITE.findIndex(test => test.id === id)
    if (index < 0) {
      const ids = SUITE.map(test => test.id).join(', ')
      throw new Error(`Test id "${id}" is unknown. Use one of ${ids}.`)
    }
    const state = this.tests[index]
    state.outcome = outcome
    state.reason = reason
    state.locked = true
    if (nowMs !== undefined && state.startMs !== undefined) {
      state.durationMs = nowMs - state.startMs
    }
    return [{ type: 'test-end', id, outcome, reason, at: this.lineNo }]
  }

  /** Removes complete escape sequences and holds back an incomplete one. */
  private stripAnsi(chunk: string): string {
    let text = this.ansiCarry + chunk
    this.ansiCarry = ''
    if (!text.includes('\x1b')) return text

    const windowStart = Math.max(0, text.length - ANSI_PREFIX_WINDOW)
    const prefix = ANSI_PREFIX_RE.exec(text.slice(windowStart))
    if (prefix !== null) {
      this.ansiCarry = prefix[0]
      text = text.slice(0, text.length - prefix[0].length)
    }
    return text.replace(ANSI_RE, '')
  }

  private appendToLine(piece: string, events: TrackerEvent[]): void {
    this.pending += piece
    this.scanTitles(piece, events)

    // Drop the start of an overlong line. Its titles were handled above.
    const length = this.pendingBase + this.pending.length
    if (length > MAX_LINE_CHARS) {
      const keepFrom =
        Math.floor((length - KEPT_LINE_CHARS) / LINE_DROP_BLOCK) *
        LINE_DROP_BLOCK
      if (keepFrom > this.pendingBase) {
        this.pending = this.pending.slice(keepFrom - this.pendingBase)
        this.pendingBase = keepFrom
      }
    }
  }

  /**
   * Finds the titles of tests 3 to 9 in the open line. Each title ends the
   * text before it, which belongs to the test that ran until then.
   */
  private scanTitles(piece: string, events: TrackerEvent[]): void {
    if (!this.suiteStarted || this.suiteEnded) return
    const windowStart = this.titleSearchFrom
    const window = this.searchTail + piece
    let searched = 0
    INLINE_TITLE_RE.lastIndex = 0
    for (;;) {
      const match = INLINE_TITLE_RE.exec(window)
      if (match === null) break
      searched = match.index + match[0].length
      const start = windowStart + match.index
      const end = windowStart + searched
      const index = SUITE.findIndex(test => test.title === match[0])
      // A title may repeat in later output, but only a later test counts.
      if (index < this.nextIndex) continue

      // When part of the line was dropped, the text before the title is cut
      // at the same place however the output was split into chunks.
      const segment = this.lineSlice(
        Math.max(this.segmentStart, end - KEPT_LINE_CHARS),
        start
      )
      this.analyzeSegment(segment, false, false, events)
      this.startTest(index, events)
      this.segmentStart = end
    }
    // A title may begin in the last characters and end in the next chunk.
    const keepFrom = Math.max(
      searched,
      window.length - (MAX_INLINE_TITLE_CHARS - 1)
    )
    this.titleSearchFrom = windowStart + keepFrom
    this.searchTail = window.slice(keepFrom)
  }

  private completeLine(events: TrackerEvent[]): void {
    const lineEnd = this.pendingBase + this.pending.length
    const wholeLine = this.segmentStart === 0
    this.analyzeSegment(
      this.lineSlice(this.segmentStart, lineEnd),
      wholeLine,
      true,
      events
    )

    const text = this.lineText()
    if (this.lineOwners.size === 0 && this.running === undefined) {
      this.detectBuildError(text, events)
    }
    const truncatedLine = truncate(text)
    for (const index of this.lineOwners) {
      pushBounded(this.tests[index].output, truncatedLine)
    }
    if (this.lineOwners.size === 0 && this.suiteStarted && !this.suiteEnded) {
      pushBounded(this.gap, truncatedLine)
    }
    events.push({ type: 'line', text, lineNo: this.lineNo })

    this.lineNo += 1
    this.pending = ''
    this.pendingBase = 0
    this.segmentStart = 0
    this.titleSearchFrom = 0
    this.searchTail = ''
    this.lineOwners.clear()
  }

  /**
   * Handles the text of the open line that belongs to one test, or to no
   * test: all of a line without titles, the text before a title, or the
   * text after the last title once the line is complete.
   */
  private analyzeSegment(
    raw: string,
    wholeLine: boolean,
    lineComplete: boolean,
    events: TrackerEvent[]
  ): void {
    const text = finalText(raw).trim()
    if (wholeLine && this.suiteStarted && !this.suiteEnded) {
      const titleIndex = ECHO_TITLES.get(text)
      if (titleIndex !== undefined && titleIndex >= this.nextIndex) {
        this.startTest(titleIndex, events)
        return
      }
    }

    const index = this.running
    if (index !== undefined && (text !== '' || lineComplete)) {
      this.lineOwners.add(index)
      if (this.now !== undefined) this.tests[index].lastMs = this.now
    }
    if (text === '') return

    if (wholeLine && this.handleRunLine(text, events)) return
    if (index !== undefined) this.handleTestText(index, text, events)
    if (text.endsWith('>> ERROR:')) this.dieExpected = true
  }

  /** Handles a line of buildrump.sh or testrump.sh itself. */
  private handleRunLine(text: string, events: TrackerEvent[]): boolean {
    const at = this.lineNo
    if (this.dieExpected && text.startsWith('>>')) {
      this.handleDie(text.replace(/^>>\s?/, '').trim(), events)
      return true
    }
    if (text === 'Running simple tests' && !this.suiteStarted) {
      this.suiteStarted = true
      events.push({ type: 'suite-start', at })
      return true
    }
    if (NON_NATIVE_RE.test(text)) {
      this.nonNative = true
      events.push({ type: 'non-native', at })
      return true
    }
    if (text === 'Success' && this.suiteStarted && !this.suiteEnded) {
      this.endSuite(true, undefined, events)
      return true
    }
    if (text === SUCCESS_LINE) {
      this.succeeded = true
      events.push({ type: 'done', success: true, at })
      return true
    }
    return false
  }

  private handleTestText(
    index: number,
    text: string,
    events: TrackerEvent[]
  ): void {
    const state = this.tests[index]
    const crash = findCrashMarker(text)
    if (crash !== undefined) {
      state.crash ??= crash
      events.push({
        type: 'crash-marker',
        id: state.test.id,
        text: crash,
        at: this.lineNo
      })
    }

    // Only a line that reads exactly `done` ends a test, because the kernel
    // prints `syncing disks... done` and `unmounting done` while fstest_img
    // runs. NOTE: a test that printed text without a newline before `done`
    // is therefore judged failed when the next title arrives.
    if (text === endWord(state.test)) {
      this.finishTest(index, 'passed', undefined, this.lineNo, this.now, events)
    } else if (text.endsWith(SKIP_MESSAGE)) {
      const at = this.lineNo
      this.finishTest(index, 'skipped', SKIP_MESSAGE, at, this.now, events)
    }
  }

  private handleDie(message: string, events: TrackerEvent[]): void {
    this.dieExpected = false
    const at = this.lineNo
    const failed = FAILED_TESTS_RE.exec(message)
    if (failed !== null && this.suiteStarted && !this.suiteEnded) {
      this.lastDie = message
      events.push({ type: 'die', message, at })
      this.endSuite(false, Number(failed[1]), events)
      return
    }

    const index = this.running
    if (index === undefined) {
      this.lastDie = message
      events.push({ type: 'die', message, at })
      return
    }
    const state = this.tests[index]
    events.push({ type: 'die', message, test: state.test.id, at })
    if (state.crash !== undefined) {
      this.finishTest(index, 'crashed', state.crash, at, this.now, events)
    } else {
      this.finishTest(index, 'failed', message, at, this.now, events)
    }
  }

  private startTest(index: number, events: TrackerEvent[]): void {
    if (this.running !== undefined) {
      this.endWithoutEndWord(this.running, 'the next test started', events)
    }
    // testrump.sh runs `(build) && (run)` for each test, so a test that
    // printed no title before a later one did not build.
    for (let skipped = this.nextIndex; skipped < index; skipped++) {
      this.failBuild(skipped, events)
    }

    const state = this.tests[index]
    state.startMs = this.now
    state.lastMs = this.now
    this.running = index
    this.nextIndex = index + 1
    this.gap = []
    this.lineOwners.add(index)
    events.push({ type: 'test-start', id: state.test.id, at: this.lineNo })
  }

  private endSuite(
    success: boolean,
    failedCount: number | undefined,
    events: TrackerEvent[]
  ): void {
    const at = this.lineNo
    events.push(
      failedCount === undefined
        ? { type: 'suite-end', success, at }
        : { type: 'suite-end', success, failedCount, at }
    )
    const index = this.running
    if (index !== undefined) {
      // `Success` means every test's subshell exited with 0.
      if (success) {
        this.finishTest(index, 'passed', undefined, at, this.now, events)
      } else {
        this.endWithoutEndWord(index, 'the suite ended', events)
      }
    }
    // The loop ran every test, so a failed suite without a title for a test
    // means its program did not build. After `Success`, a missing title only
    // means the output was mangled, so those tests stay not-run.
    if (!success) {
      for (let skipped = this.nextIndex; skipped < SUITE.length; skipped++) {
        this.failBuild(skipped, events)
      }
    }
    this.nextIndex = SUITE.length
    this.suiteEnded = true
  }

  private endWithoutEndWord(
    index: number,
    when: string,
    events: TrackerEvent[]
  ): void {
    const state = this.tests[index]
    const at = this.lineNo
    if (state.crash !== undefined) {
      this.finishTest(index, 'crashed', state.crash, at, state.lastMs, events)
    } else {
      const reason = `no "${endWord(state.test)}" before ${when}`
      this.finishTest(index, 'failed', reason, at, state.lastMs, events)
    }
  }

  private failBuild(index: number, events: TrackerEvent[]): void {
    const state = this.tests[index]
    if (state.outcome !== undefined) return
    state.outcome = 'failed'
    state.reason = BUILD_FAILED_REASON
    // The build output between two tests is shared when several in a row
    // failed to build.
    for (const line of this.gap) pushBounded(state.output, line)
    events.push({
      type: 'test-end',
      id: state.test.id,
      outcome: 'failed',
      reason: BUILD_FAILED_REASON,
      at: this.lineNo
    })
  }

  /**
   * Ends the running test. The outcome is kept when an override already set
   * one.
   */
  private finishTest(
    index: number,
    outcome: TestOutcome,
    reason: string | undefined,
    at: number,
    endMs: number | undefined,
    events: TrackerEvent[]
  ): void {
    if (this.running === index) {
      this.running = undefined
      this.gap = []
    }
    const state = this.tests[index]
    if (state.outcome !== undefined) return

    state.outcome = outcome
    state.reason = reason
    if (endMs !== undefined && state.startMs !== undefined) {
      state.durationMs = endMs - state.startMs
    }
    events.push(
      reason === undefined
        ? { type: 'test-end', id: state.test.id, outcome, at }
        : { type: 'test-end', id: state.test.id, outcome, reason, at }
    )
  }

  private detectBuildError(text: string, events: TrackerEvent[]): void {
    const key = text.slice(0, BUILD_ERROR_SCAN_CHARS).trim()
    if (this.errorLines.has(key) || this.errors.length >= MAX_BUILD_ERRORS) {
      return
    }
    const error = parseBuildError(key, this.lineNo)
    if (error === undefined) return
    this.errorLines.add(key)
    this.errors.push(error)
    events.push({ type: 'build-error', error })
  }

  /** Returns the kept part of the open line between two offsets. */
  private lineSlice(from: number, to: number): string {
    const start = Math.max(from, this.pendingBase) - this.pendingBase
    return this.pending.slice(start, Math.max(to - this.pendingBase, start))
  }

  /** Returns the open line as a `line` event shows it. */
  private lineText(): string {
    const text = finalText(this.pending)
    const overwritten = text.length < trimReturns(this.pending).length
    if (this.pendingBase === 0 || overwritten) return text
    return `[... ${this.pendingBase} characters omitted ...] ${text}`
  }
}

/** Parses a whole log at once. */
export function parseLog(text: string): ParsedLog {
  const tracker = new SuiteTracker()
  const events = [...tracker.feed(text), ...tracker.end()]
  return { events, tests: tracker.results(), ...tracker.summary() }
}

/** Returns the build error a line reports, if it reports one. */
export function parseBuildError(
  line: string,
  logLine: number
): BuildError | undefined {
  const compiler = COMPILER_ERROR_RE.exec(line)
  if (compiler !== null) {
    const [, file, lineText, columnText, message] = compiler
    const position =
      columnText === undefined
        ? { file, line: Number(lineText) }
        : { file, line: Number(lineText), column: Number(columnText) }
    return { ...position, message: truncate(message), logLine }
  }

  const linker = LINKER_ERROR_RE.exec(line)
  if (linker !== null) {
    const [, file, lineText, message] = linker
    let position = {}
    if (file !== undefined) {
      position =
        lineText === undefined ? { file } : { file, line: Number(lineText) }
    }
    return { ...position, message: truncate(message), logLine }
  }

  if (
    TOOL_ERROR_RE.test(line) ||
    MAKE_ERROR_RE.test(line) ||
    BUILD_SH_ERROR_RE.test(line)
  ) {
    return { message: truncate(line), logLine }
  }
  return undefined
}

function findCrashMarker(text: string): string | undefined {
  const qemu = QEMU_SIGNAL_RE.exec(text)
  if (qemu !== null) return qemu[0]
  if (SHELL_SIGNAL_RE.test(text) || CORE_DUMPED_RE.test(text)) {
    return truncate(text)
  }
  return undefined
}

function endWord(test: SuiteTest): string {
  return test.title.endsWith('...') ? 'done' : 'Done'
}

/** Reduces `\r` progress overwrites to the text after the last `\r`. */
function finalText(raw: string): string {
  const text = trimReturns(raw)
  return text.slice(text.lastIndexOf('\r') + 1)
}

/** Removes the `\r` of a CRLF line end, and any more before it. */
function trimReturns(raw: string): string {
  let end = raw.length
  while (end > 0 && raw.charCodeAt(end - 1) === 13) end -= 1
  return raw.slice(0, end)
}

function truncate(text: string): string {
  return text.length <= MAX_OUTPUT_LINE_CHARS
    ? text
    : `${text.slice(0, MAX_OUTPUT_LINE_CHARS - 3)}...`
}

function pushBounded(lines: string[], line: string): void {
  lines.push(truncate(line))
  if (lines.length > MAX_OUTPUT_LINES) lines.shift()
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
