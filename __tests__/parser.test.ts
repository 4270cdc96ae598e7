import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  BUILD_FAILED_REASON,
  MAX_OUTPUT_LINE_CHARS,
  MAX_OUTPUT_LINES,
  parseBuildError,
  parseLog,
  SuiteTracker,
  type TrackerEvent
} from '../src/buildrump/parser.js'
import { SUITE } from '../src/buildrump/suite.js'
import type { TestOutcome, TestResult } from '../src/results.js'

const LOGS = fileURLToPath(
  new URL('../../shared/fixtures/buildrump-logs/', import.meta.url)
)
const PASS_LOGS = [
  'armhf-fullbuild-pass.log',
  'mips-fullbuild-pass.log',
  'powerpc-fullbuild-pass.log'
]
const ALL_LOGS = [
  ...PASS_LOGS,
  'ldflags-in-env-fail.log',
  'host-gcc12-nbmake-fail.log',
  'gcc12-werror-fail.log'
]

function readLog(name: string): string {
  return readFileSync(`${LOGS}${name}`, 'utf8')
}

function outcomes(tests: readonly TestResult[]): Record<string, TestOutcome> {
  return Object.fromEntries(tests.map(test => [test.id, test.outcome]))
}

function byId(tests: readonly TestResult[], id: string): TestResult {
  const test = tests.find(candidate => candidate.id === id)
  if (test === undefined) throw new Error(`no result for ${id}`)
  return test
}

function ofType<T extends TrackerEvent['type']>(
  events: readonly TrackerEvent[],
  type: T
): Extract<TrackerEvent, { type: T }>[] {
  return events.filter(
    (event): event is Extract<TrackerEvent, { type: T }> => event.type === type
  )
}

/** mulberry32, so that the chunk sizes are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Feeds `text` in chunks of 1 to `maxChunk` characters. */
function feedInChunks(
  tracker: SuiteTracker,
  text: string,
  seed: number,
  maxChunk: number
): TrackerEvent[] {
  const random = seededRandom(seed)
  const events: TrackerEvent[] = []
  let offset = 0
  while (offset < text.length) {
    const size = 1 + Math.floor(random() * maxChunk)
    events.push(...tracker.feed(text.slice(offset, offset + size)))
    offset += size
  }
  events.push(...tracker.end())
  return events
}

// Suite output in the shapes tests/testrump.sh prints.
const SUITE_START = 'Running simple tests\n'
const INIT_PASS =
  'bootstrap test\nNetBSD 7.99.34 (RUMP-ROAST)\nrump kernel init complete, rv 0\nDone\n'
const FSTEST_PASS =
  'VFS test\n\nReading version info from /kern:\nrump kernel halting...\nhalted\nDone\n'
const FSTEST_IMG_PASS =
  'VFS test with actual file system ... rump kernel halting...\nsyncing disks... done\nunmounting file systems...\nunmounting done\nhalted\ndone\n'
const SIMPLECLIENT_PASS = 'Remote communication ... done\n'
const NETTEST_SIMPLE_PASS = 'IPv4 networking test ... done\n'
const NETTEST_SIMPLE6_PASS = 'IPv6 networking test ... done\n'
const NETTEST_ROUTED_PASS = 'Routed IPv4 networking test ... done\n'
const NETTEST_ROUTED6_PASS = 'Routed IPv6 networking test ... done\n'
const DYNAMIC_SKIP =
  'Dynamic loading of components ... component load failed, skipping test\n'
const SUITE_SUCCESS = '\nSuccess\n>> buildrump.sh ran successfully\n'

const ALL_PASS = [
  SUITE_START,
  INIT_PASS,
  FSTEST_PASS,
  FSTEST_IMG_PASS,
  SIMPLECLIENT_PASS,
  NETTEST_SIMPLE_PASS,
  NETTEST_SIMPLE6_PASS,
  NETTEST_ROUTED_PASS,
  NETTEST_ROUTED6_PASS,
  DYNAMIC_SKIP,
  SUITE_SUCCESS
].join('')

const PASSED_ALL: Record<string, TestOutcome> = {
  init: 'passed',
  fstest: 'passed',
  fstest_img: 'passed',
  simpleclient: 'passed',
  nettest_simple: 'passed',
  nettest_simple6: 'passed',
  nettest_routed: 'passed',
  nettest_routed6: 'passed',
  dynamic: 'skipped'
}

const NOT_RUN_ALL: Record<string, TestOutcome> = Object.fromEntries(
  SUITE.map(test => [test.id, 'not-run'])
)

describe('parseLog on passing logs', () => {
  it.each(PASS_LOGS)('%s: 8 passed, dynamic skipped', name => {
    expect(outcomes(parseLog(readLog(name)).tests)).toEqual(PASSED_ALL)
  })

  it.each(PASS_LOGS)('%s: run succeeded', name => {
    expect(parseLog(readLog(name)).success).toBe(true)
  })

  it.each(PASS_LOGS)('%s: suite started', name => {
    expect(parseLog(readLog(name)).suiteStarted).toBe(true)
  })

  it.each(PASS_LOGS)('%s: native build', name => {
    expect(parseLog(readLog(name)).nonNative).toBe(false)
  })

  it.each(PASS_LOGS)('%s: no build errors', name => {
    expect(parseLog(readLog(name)).buildErrors).toEqual([])
  })

  it.each(PASS_LOGS)('%s: no die message', name => {
    expect(parseLog(readLog(name)).die).toBeUndefined()
  })

  it.each(PASS_LOGS)('%s: suite ends with success', name => {
    const events = parseLog(readLog(name)).events
    expect(ofType(events, 'suite-end')).toEqual([
      expect.objectContaining({ success: true })
    ])
  })

  it.each(PASS_LOGS)('%s: dynamic skip reason', name => {
    const dynamic = byId(parseLog(readLog(name)).tests, 'dynamic')
    expect(dynamic.reason).toBe('component load failed, skipping test')
  })

  it('armhf: suite start line number', () => {
    const events = parseLog(readLog('armhf-fullbuild-pass.log')).events
    expect(ofType(events, 'suite-start')).toEqual([
      { type: 'suite-start', at: 4914 }
    ])
  })

  it('armhf: test starts in suite order', () => {
    const events = parseLog(readLog('armhf-fullbuild-pass.log')).events
    const started = ofType(events, 'test-start').map(event => event.id)
    expect(started).toEqual(SUITE.map(test => test.id))
  })

  it('armhf: fstest_img spans kernel halt lines', () => {
    const events = parseLog(readLog('armhf-fullbuild-pass.log')).events
    const ends = ofType(events, 'test-end').filter(e => e.id === 'fstest_img')
    expect(ends).toEqual([
      { type: 'test-end', id: 'fstest_img', outcome: 'passed', at: 4946 }
    ])
  })

  it('mips: RNG message before done passes', () => {
    const tests = parseLog(readLog('mips-fullbuild-pass.log')).tests
    expect(byId(tests, 'simpleclient').outcome).toBe('passed')
  })

  it('mips: RNG message kept in output', () => {
    const tests = parseLog(readLog('mips-fullbuild-pass.log')).tests
    expect(byId(tests, 'simpleclient').output).toEqual([
      'Remote communication ... Kernel RNG "kernel" runs test FAILURE: too many runs of 4 1s (384 >= 384)',
      'done'
    ])
  })

  it('powerpc: RNG messages before done pass', () => {
    const tests = parseLog(readLog('powerpc-fullbuild-pass.log')).tests
    expect(byId(tests, 'nettest_routed').outcome).toBe('passed')
  })

  it('powerpc: RNG lines kept in output', () => {
    const tests = parseLog(readLog('powerpc-fullbuild-pass.log')).tests
    expect(byId(tests, 'nettest_routed').output).toEqual([
      'Routed IPv4 networking test ... Kernel RNG "kernel" poker test failure: parameter X = 1.79200',
      'cprng kernel: failed statistical RNG test',
      'done'
    ])
  })

  it('powerpc: RWX warnings in no output', () => {
    const tests = parseLog(readLog('powerpc-fullbuild-pass.log')).tests
    const withWarning = tests.filter(test =>
      test.output.some(line => line.includes('RWX permissions'))
    )
    expect(withWarning).toEqual([])
  })

  it('powerpc: init starts after RWX warning', () => {
    const events = parseLog(readLog('powerpc-fullbuild-pass.log')).events
    expect(ofType(events, 'test-start')[0]).toEqual({
      type: 'test-start',
      id: 'init',
      at: 4906
    })
  })

  it('powerpc: line events cover every line', () => {
    const text = readLog('powerpc-fullbuild-pass.log')
    const lines = ofType(parseLog(text).events, 'line')
    expect(lines.map(line => line.text)).toEqual(text.split('\n').slice(0, -1))
  })
})

describe('parseLog on failing logs', () => {
  it('ldflags-in-env: die message', () => {
    const parsed = parseLog(readLog('ldflags-in-env-fail.log'))
    expect(parsed.die).toBe('unset "LDFLAGS" from environment, use -F instead')
  })

  it('ldflags-in-env: all tests not-run', () => {
    const parsed = parseLog(readLog('ldflags-in-env-fail.log'))
    expect(outcomes(parsed.tests)).toEqual(NOT_RUN_ALL)
  })

  it('ldflags-in-env: suite not started', () => {
    const parsed = parseLog(readLog('ldflags-in-env-fail.log'))
    expect(parsed.suiteStarted).toBe(false)
  })

  it('ldflags-in-env: run failed', () => {
    const parsed = parseLog(readLog('ldflags-in-env-fail.log'))
    expect(parsed.success).toBe(false)
  })

  it('ldflags-in-env: die then done events', () => {
    const parsed = parseLog(readLog('ldflags-in-env-fail.log'))
    expect(parsed.events.filter(event => event.type !== 'line')).toEqual([
      {
        type: 'die',
        message: 'unset "LDFLAGS" from environment, use -F instead',
        at: 2
      },
      { type: 'done', success: false, at: 2 }
    ])
  })

  it('nbmake: multiple definition errors', () => {
    const parsed = parseLog(readLog('host-gcc12-nbmake-fail.log'))
    const multiple = parsed.buildErrors.filter(error =>
      error.message.startsWith("multiple definition of `debug_file'")
    )
    expect(multiple).toHaveLength(17)
  })

  it('nbmake: first linker error fields', () => {
    const parsed = parseLog(readLog('host-gcc12-nbmake-fail.log'))
    expect(parsed.buildErrors[0]).toEqual({
      file: 'buf.o',
      message:
        "multiple definition of `debug_file'; arch.o:(.bss+0x0): first defined here",
      logLine: 187
    })
  })

  it('nbmake: build.sh error', () => {
    const parsed = parseLog(readLog('host-gcc12-nbmake-fail.log'))
    expect(parsed.buildErrors).toContainEqual({
      message: 'ERROR: Build of nbmake failed',
      logLine: 206
    })
  })

  it('nbmake: collect2 error', () => {
    const parsed = parseLog(readLog('host-gcc12-nbmake-fail.log'))
    expect(parsed.buildErrors).toContainEqual({
      message: 'collect2: error: ld returned 1 exit status',
      logLine: 204
    })
  })

  it('nbmake: die message', () => {
    const parsed = parseLog(readLog('host-gcc12-nbmake-fail.log'))
    expect(parsed.die).toBe('build.sh makewrapper failed')
  })

  it('nbmake: all tests not-run', () => {
    const parsed = parseLog(readLog('host-gcc12-nbmake-fail.log'))
    expect(outcomes(parsed.tests)).toEqual(NOT_RUN_ALL)
  })

  it('werror: first compiler error fields', () => {
    const parsed = parseLog(readLog('gcc12-werror-fail.log'))
    expect(parsed.buildErrors[0]).toEqual({
      file: '/home/runner/work/rump/rump/src/lib/librumpuser/sp_common.c',
      line: 727,
      column: 41,
      message:
        "cast between incompatible function types from 'int (*)(void)' to 'void (*)(struct sockaddr *)' [-Werror=cast-function-type]",
      logLine: 933
    })
  })

  it('werror: five cast-function-type errors', () => {
    const parsed = parseLog(readLog('gcc12-werror-fail.log'))
    const casts = parsed.buildErrors.filter(error =>
      error.message.endsWith('[-Werror=cast-function-type]')
    )
    expect(casts.map(error => error.line)).toEqual([727, 729, 731, 731, 732])
  })

  it('werror: make error lines', () => {
    const parsed = parseLog(readLog('gcc12-werror-fail.log'))
    const make = parsed.buildErrors.filter(error => error.file === undefined)
    expect(make.map(error => error.message)).toEqual([
      '*** [rumpuser_sp.o] Error code 1',
      '*** [dependall] Error code 2',
      '*** [dependall-/home/runner/work/rump/rump/src/lib/librumpuser] Error code 2'
    ])
  })

  it('werror: die message', () => {
    const parsed = parseLog(readLog('gcc12-werror-fail.log'))
    expect(parsed.die).toBe(
      'make /home/runner/work/_temp/rump-cross/obj/Makefile.first dependall'
    )
  })

  it('werror: all tests not-run', () => {
    const parsed = parseLog(readLog('gcc12-werror-fail.log'))
    expect(outcomes(parsed.tests)).toEqual(NOT_RUN_ALL)
  })
})

describe('SuiteTracker chunking', () => {
  it.each(ALL_LOGS)('%s: random chunks give same events', name => {
    const text = readLog(name)
    const whole = parseLog(text).events
    const chunked = feedInChunks(new SuiteTracker(), text, 20240611, 24)
    expect(chunked).toEqual(whole)
  })

  it.each(ALL_LOGS)('%s: random chunks give same results', name => {
    const text = readLog(name)
    const tracker = new SuiteTracker()
    feedInChunks(tracker, text, 7, 24)
    expect(tracker.results()).toEqual(parseLog(text).tests)
  })

  it('title split mid-text: no start yet', () => {
    const tracker = new SuiteTracker()
    tracker.feed(SUITE_START + INIT_PASS + FSTEST_PASS + FSTEST_IMG_PASS)
    const events = tracker.feed('Remote communication .')
    expect(ofType(events, 'test-start')).toEqual([])
  })

  it('title split mid-text: start on open line', () => {
    const tracker = new SuiteTracker()
    const prefix = SUITE_START + INIT_PASS + FSTEST_PASS + FSTEST_IMG_PASS
    tracker.feed(prefix)
    tracker.feed('Remote commun')
    const events = tracker.feed('ication ... ')
    expect(events).toEqual([{ type: 'test-start', id: 'simpleclient', at: 18 }])
  })

  it('title split mid-text: current test', () => {
    const tracker = new SuiteTracker()
    tracker.feed(SUITE_START + INIT_PASS + FSTEST_PASS + FSTEST_IMG_PASS)
    tracker.feed('Remote commun')
    tracker.feed('ication ... ')
    expect(tracker.current()).toBe('simpleclient')
  })

  it('title split mid-text: done on same line', () => {
    const tracker = new SuiteTracker()
    tracker.feed(SUITE_START + INIT_PASS + FSTEST_PASS + FSTEST_IMG_PASS)
    tracker.feed('Remote commun')
    tracker.feed('ication ... ')
    tracker.feed('done\n')
    expect(byId(tracker.results(), 'simpleclient').outcome).toBe('passed')
  })

  it('echo title waits for newline', () => {
    const tracker = new SuiteTracker()
    tracker.feed(SUITE_START + INIT_PASS)
    const events = tracker.feed('VFS test')
    expect(ofType(events, 'test-start')).toEqual([])
  })

  it('echo title starts fstest', () => {
    const tracker = new SuiteTracker()
    tracker.feed(SUITE_START + INIT_PASS + 'VFS test')
    const events = tracker.feed('\n')
    expect(ofType(events, 'test-start')).toEqual([
      { type: 'test-start', id: 'fstest', at: 6 }
    ])
  })

  it('CRLF and ANSI: outcomes', () => {
    const colored = ALL_PASS.replace(/\bdone\n/g, '\x1b[32mdone\x1b[0m\n')
      .replace(/Remote communication/, '\x1b[1mRemote communication\x1b[0m')
      .replace(/\n/g, '\r\n')
    expect(outcomes(parseLog(colored).tests)).toEqual(PASSED_ALL)
  })

  it('CRLF and ANSI: line text', () => {
    const lines = ofType(
      parseLog('\x1b[1;31mred\x1b[0m text\r\n').events,
      'line'
    )
    expect(lines).toEqual([{ type: 'line', text: 'red text', lineNo: 1 }])
  })

  it('ANSI split across chunks', () => {
    const tracker = new SuiteTracker()
    const events = [
      ...tracker.feed('a\x1b[3'),
      ...tracker.feed('2mb\x1b'),
      ...tracker.feed('[0mc\n')
    ]
    expect(ofType(events, 'line')).toEqual([
      { type: 'line', text: 'abc', lineNo: 1 }
    ])
  })

  it('carriage return keeps final text', () => {
    const events = parseLog('copy 10%\rcopy 50%\rcopy 100%\r\n').events
    expect(ofType(events, 'line')).toEqual([
      { type: 'line', text: 'copy 100%', lineNo: 1 }
    ])
  })

  it('unterminated last line completed by end', () => {
    const events = parseLog('first\nlast').events
    expect(ofType(events, 'line').map(line => line.text)).toEqual([
      'first',
      'last'
    ])
  })
})

describe('SuiteTracker outcomes', () => {
  it('synthetic pass: all outcomes', () => {
    expect(outcomes(parseLog(ALL_PASS).tests)).toEqual(PASSED_ALL)
  })

  it('synthetic pass: no reasons for passes', () => {
    const reasons = parseLog(ALL_PASS)
      .tests.filter(test => test.outcome === 'passed')
      .map(test => test.reason)
    expect(reasons).toEqual(Array(8).fill(undefined))
  })

  it('results: nine tests in suite order', () => {
    const ids = new SuiteTracker().results().map(test => test.id)
    expect(ids).toEqual(SUITE.map(test => test.id))
  })

  it('results: titles from the suite', () => {
    const titles = new SuiteTracker().results().map(test => test.title)
    expect(titles).toEqual(SUITE.map(test => test.title))
  })

  describe('die while a test runs', () => {
    const log = [
      SUITE_START,
      INIT_PASS,
      FSTEST_PASS,
      'VFS test with actual file system ... >> ERROR:\n',
      '>> fstest2 failed\n',
      SIMPLECLIENT_PASS,
      NETTEST_SIMPLE_PASS,
      NETTEST_SIMPLE6_PASS,
      NETTEST_ROUTED_PASS,
      NETTEST_ROUTED6_PASS,
      DYNAMIC_SKIP,
      '>> ERROR:\n>> FAILED 1 tests!\n'
    ].join('')

    it('failed test outcome', () => {
      expect(byId(parseLog(log).tests, 'fstest_img').outcome).toBe('failed')
    })

    it('failed test reason', () => {
      expect(byId(parseLog(log).tests, 'fstest_img').reason).toBe(
        'fstest2 failed'
      )
    })

    it('next test still passes', () => {
      expect(byId(parseLog(log).tests, 'simpleclient').outcome).toBe('passed')
    })

    it('die event names the test', () => {
      const dies = ofType(parseLog(log).events, 'die')
      expect(dies[0]).toEqual({
        type: 'die',
        message: 'fstest2 failed',
        test: 'fstest_img',
        at: 13
      })
    })

    it('test-end event at die line', () => {
      const ends = ofType(parseLog(log).events, 'test-end')
      expect(ends.find(event => event.id === 'fstest_img')).toEqual({
        type: 'test-end',
        id: 'fstest_img',
        outcome: 'failed',
        reason: 'fstest2 failed',
        at: 13
      })
    })

    it('summary die is the suite failure', () => {
      expect(parseLog(log).die).toBe('FAILED 1 tests!')
    })

    it('current cleared after die', () => {
      const tracker = new SuiteTracker()
      tracker.feed(log.slice(0, log.indexOf('Remote communication')))
      expect(tracker.current()).toBeUndefined()
    })
  })

  describe('FAILED 2 tests', () => {
    const log = [
      SUITE_START,
      INIT_PASS,
      FSTEST_PASS,
      FSTEST_IMG_PASS,
      SIMPLECLIENT_PASS,
      'IPv4 networking test ... >> ERROR:\n>> nettest server failed\n',
      NETTEST_SIMPLE6_PASS,
      'Routed IPv4 networking test ... >> ERROR:\n>> router fail\n',
      NETTEST_ROUTED6_PASS,
      DYNAMIC_SKIP,
      '>> ERROR:\n>> FAILED 2 tests!\n'
    ].join('')

    it('suite-end with failed count', () => {
      expect(ofType(parseLog(log).events, 'suite-end')).toEqual([
        { type: 'suite-end', success: false, failedCount: 2, at: 27 }
      ])
    })

    it('two failed outcomes', () => {
      expect(outcomes(parseLog(log).tests)).toEqual({
        ...PASSED_ALL,
        nettest_simple: 'failed',
        nettest_routed: 'failed'
      })
    })

    it('run failed', () => {
      expect(parseLog(log).success).toBe(false)
    })

    it('done event reports failure', () => {
      expect(ofType(parseLog(log).events, 'done')).toEqual([
        { type: 'done', success: false, at: 27 }
      ])
    })
  })

  describe('test program failed to build', () => {
    const log = [
      SUITE_START,
      INIT_PASS,
      FSTEST_PASS,
      "fstest2.c:12:3: error: 'fd' undeclared (first use in this function)\n",
      '*** [fstest2.o] Error code 1\n',
      SIMPLECLIENT_PASS,
      NETTEST_SIMPLE_PASS,
      NETTEST_SIMPLE6_PASS,
      NETTEST_ROUTED_PASS,
      NETTEST_ROUTED6_PASS,
      "dynamic.c:40: undefined reference to `rump_pub_lwproc_rfork'\n",
      '>> ERROR:\n>> FAILED 2 tests!\n'
    ].join('')

    it('missing title: failed', () => {
      expect(byId(parseLog(log).tests, 'fstest_img').outcome).toBe('failed')
    })

    it('missing title: reason', () => {
      expect(byId(parseLog(log).tests, 'fstest_img').reason).toBe(
        BUILD_FAILED_REASON
      )
    })

    it('missing title: build output kept', () => {
      expect(byId(parseLog(log).tests, 'fstest_img').output).toEqual([
        "fstest2.c:12:3: error: 'fd' undeclared (first use in this function)",
        '*** [fstest2.o] Error code 1'
      ])
    })

    it('missing last title: failed', () => {
      const dynamic = byId(parseLog(log).tests, 'dynamic')
      expect(dynamic.reason).toBe(BUILD_FAILED_REASON)
    })

    it('successor still passes', () => {
      expect(byId(parseLog(log).tests, 'simpleclient').outcome).toBe('passed')
    })

    it('compiler error parsed', () => {
      expect(parseLog(log).buildErrors[0]).toEqual({
        file: 'fstest2.c',
        line: 12,
        column: 3,
        message: "'fd' undeclared (first use in this function)",
        logLine: 12
      })
    })

    it('undefined reference parsed', () => {
      expect(parseLog(log).buildErrors[2]).toEqual({
        file: 'dynamic.c',
        line: 40,
        message: "undefined reference to `rump_pub_lwproc_rfork'",
        logLine: 19
      })
    })
  })

  describe('crash', () => {
    const crashLines =
      'IPv4 networking test ... qemu: uncaught target signal 11 (Segmentation fault) - core dumped\n' +
      'Segmentation fault (core dumped)\n' +
      '>> ERROR:\n>> nettest server failed\n'
    const log = [
      SUITE_START,
      INIT_PASS,
      FSTEST_PASS,
      FSTEST_IMG_PASS,
      SIMPLECLIENT_PASS,
      crashLines,
      NETTEST_SIMPLE6_PASS
    ].join('')

    it('crashed outcome', () => {
      expect(byId(parseLog(log).tests, 'nettest_simple').outcome).toBe(
        'crashed'
      )
    })

    it('reason is qemu message', () => {
      expect(byId(parseLog(log).tests, 'nettest_simple').reason).toBe(
        'qemu: uncaught target signal 11 (Segmentation fault) - core dumped'
      )
    })

    it('crash markers emitted', () => {
      expect(ofType(parseLog(log).events, 'crash-marker')).toEqual([
        {
          type: 'crash-marker',
          id: 'nettest_simple',
          text: 'qemu: uncaught target signal 11 (Segmentation fault) - core dumped',
          at: 19
        },
        {
          type: 'crash-marker',
          id: 'nettest_simple',
          text: 'Segmentation fault (core dumped)',
          at: 20
        }
      ])
    })

    it('next test unaffected', () => {
      expect(byId(parseLog(log).tests, 'nettest_simple6').outcome).toBe(
        'passed'
      )
    })

    it('crash then next title: crashed', () => {
      const text = [
        SUITE_START,
        INIT_PASS,
        'VFS test\nAborted (core dumped)\n',
        FSTEST_IMG_PASS
      ].join('')
      expect(byId(parseLog(text).tests, 'fstest').outcome).toBe('crashed')
    })

    it('crash marker while running: crashed', () => {
      const tracker = new SuiteTracker()
      tracker.feed(SUITE_START + INIT_PASS + FSTEST_PASS + FSTEST_IMG_PASS)
      tracker.feed('Remote communication ... Bus error\n')
      expect(byId(tracker.results(), 'simpleclient').outcome).toBe('crashed')
    })

    it.each([
      'Floating point exception',
      'Trace/breakpoint trap',
      'Bad system call'
    ])('shell report %j while running: crashed', report => {
      const tracker = new SuiteTracker()
      tracker.feed(SUITE_START + INIT_PASS + FSTEST_PASS + FSTEST_IMG_PASS)
      tracker.feed(`Remote communication ... ${report}\n`)
      expect(byId(tracker.results(), 'simpleclient').outcome).toBe('crashed')
    })

    it('open test at end takes the given reason', () => {
      const tracker = new SuiteTracker()
      tracker.feed(SUITE_START + INIT_PASS + 'VFS test\n')
      tracker.end(undefined, 'the run was cancelled while the test ran')
      expect(byId(tracker.results(), 'fstest').reason).toBe(
        'the run was cancelled while the test ran'
      )
    })

    it('crash text outside tests ignored', () => {
      const events = parseLog('Segmentation fault (core dumped)\n').events
      expect(ofType(events, 'crash-marker')).toEqual([])
    })
  })

  it('kernel "syncing disks... done" does not end test', () => {
    const log = [
      SUITE_START,
      INIT_PASS,
      FSTEST_PASS,
      'VFS test with actual file system ... rump kernel halting...\n',
      'syncing disks... done\nunmounting done\nhalted\n',
      '>> ERROR:\n>> fstest2 failed\n'
    ].join('')
    expect(byId(parseLog(log).tests, 'fstest_img').reason).toBe(
      'fstest2 failed'
    )
  })

  it('no end word before next title: failed', () => {
    const log = [
      SUITE_START,
      INIT_PASS,
      FSTEST_PASS,
      FSTEST_IMG_PASS,
      'Remote communication ... \n',
      NETTEST_SIMPLE_PASS
    ].join('')
    expect(byId(parseLog(log).tests, 'simpleclient').reason).toBe(
      'no "done" before the next test started'
    )
  })

  it('Success ends a test without done', () => {
    const log = ALL_PASS.replace(
      DYNAMIC_SKIP,
      'Dynamic loading of components ... ok\n'
    )
    expect(byId(parseLog(log).tests, 'dynamic').outcome).toBe('passed')
  })

  it('earlier title in later output ignored', () => {
    const log = ALL_PASS.replace(
      NETTEST_SIMPLE6_PASS,
      'IPv6 networking test ... IPv4 networking test ... \ndone\n'
    )
    expect(outcomes(parseLog(log).tests)).toEqual(PASSED_ALL)
  })

  describe('non-native build', () => {
    const log = [
      SUITE_START,
      '>>\n>> WARNING!  Running tests on non-native build!\n',
      '>> This may not work correctly!\n>>\n',
      'bootstrap test\n',
      'sh: 1: /tmp/obj/brtests/init/init: Exec format error\n',
      '>> ERROR:\n>> init failed\n'
    ].join('')

    it('non-native event', () => {
      expect(ofType(parseLog(log).events, 'non-native')).toEqual([
        { type: 'non-native', at: 3 }
      ])
    })

    it('summary flag', () => {
      expect(parseLog(log).nonNative).toBe(true)
    })

    it('exec format error fails init', () => {
      expect(byId(parseLog(log).tests, 'init').reason).toBe('init failed')
    })

    it('exec format error in output', () => {
      expect(byId(parseLog(log).tests, 'init').output).toContain(
        'sh: 1: /tmp/obj/brtests/init/init: Exec format error'
      )
    })
  })
})

describe('SuiteTracker watchdog support', () => {
  const beforeIpv4 = [
    SUITE_START,
    INIT_PASS,
    FSTEST_PASS,
    FSTEST_IMG_PASS,
    SIMPLECLIENT_PASS
  ].join('')

  it('open title: current test', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    expect(tracker.current()).toBe('nettest_simple')
  })

  it('open title: output has open line', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    expect(byId(tracker.results(), 'nettest_simple').output).toEqual([
      'IPv4 networking test ... '
    ])
  })

  it('running at end: not-run', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    tracker.end()
    expect(byId(tracker.results(), 'nettest_simple').outcome).toBe('not-run')
  })

  it('running at end: test-end event', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    expect(ofType(tracker.end(), 'test-end')).toEqual([
      {
        type: 'test-end',
        id: 'nettest_simple',
        outcome: 'not-run',
        reason: 'the output ended while the test was running',
        at: 19
      }
    ])
  })

  it('markHung: outcome', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ', 1000)
    tracker.markHung('nettest_simple', 'no output for 5m', 301_000)
    expect(byId(tracker.results(), 'nettest_simple').outcome).toBe('hung')
  })

  it('markHung: event', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ', 1000)
    expect(tracker.markHung('nettest_simple', 'no output for 5m')).toEqual([
      {
        type: 'test-end',
        id: 'nettest_simple',
        outcome: 'hung',
        reason: 'no output for 5m',
        at: 19
      }
    ])
  })

  it('markHung: duration', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ', 1000)
    tracker.markHung('nettest_simple', 'no output for 5m', 301_000)
    expect(byId(tracker.results(), 'nettest_simple').durationMs).toBe(300_000)
  })

  it('markHung: later die keeps hung', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    tracker.markHung('nettest_simple', 'no output for 5m')
    tracker.feed(
      'qemu: uncaught target signal 3 (Quit) - core dumped\n>> ERROR:\n>> nettest server failed\n'
    )
    expect(byId(tracker.results(), 'nettest_simple').reason).toBe(
      'no output for 5m'
    )
  })

  it('markHung: suite goes on', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    tracker.markHung('nettest_simple', 'no output for 5m')
    tracker.feed('>> ERROR:\n>> nettest server failed\n' + NETTEST_SIMPLE6_PASS)
    expect(byId(tracker.results(), 'nettest_simple6').outcome).toBe('passed')
  })

  it('markHung: stays current until die', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    tracker.markHung('nettest_simple', 'no output for 5m')
    expect(tracker.current()).toBe('nettest_simple')
  })

  it('markHung: no second test-end', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    tracker.markHung('nettest_simple', 'no output for 5m')
    const events = tracker.feed('>> ERROR:\n>> nettest server failed\n')
    expect(ofType(events, 'test-end')).toEqual([])
  })

  it('markCrashed: outcome', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    tracker.markCrashed('nettest_simple', 'guest core qemu_nettest.core')
    tracker.end()
    expect(byId(tracker.results(), 'nettest_simple').outcome).toBe('crashed')
  })

  it('override after end applies', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + 'IPv4 networking test ... ')
    tracker.end()
    tracker.markHung('nettest_simple', 'no output for 5m')
    expect(byId(tracker.results(), 'nettest_simple').outcome).toBe('hung')
  })

  it('override: unknown id throws', () => {
    expect(() => new SuiteTracker().markHung('nope', 'x')).toThrow(
      'Test id "nope" is unknown'
    )
  })

  it('duration from feed timestamps', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4, 1000)
    tracker.feed('IPv4 networking test ... ', 2000)
    tracker.feed('done\n', 5500)
    expect(byId(tracker.results(), 'nettest_simple').durationMs).toBe(3500)
  })

  it('no timestamps: no duration', () => {
    const tracker = new SuiteTracker()
    tracker.feed(beforeIpv4 + NETTEST_SIMPLE_PASS)
    expect(byId(tracker.results(), 'nettest_simple').durationMs).toBeUndefined()
  })

  it('feed after end throws', () => {
    const tracker = new SuiteTracker()
    tracker.end()
    expect(() => tracker.feed('x')).toThrow('called after end()')
  })

  it('second end returns nothing', () => {
    const tracker = new SuiteTracker()
    tracker.end()
    expect(tracker.end()).toEqual([])
  })

  it('die cut short at end', () => {
    const parsed = parseLog('>> ERROR:\n')
    expect(parsed.die).toBe(
      'buildrump.sh printed ">> ERROR:" and the output ended before its message'
    )
  })
})

describe('SuiteTracker memory bounds', () => {
  const beforeSimpleclient = [
    SUITE_START,
    INIT_PASS,
    FSTEST_PASS,
    FSTEST_IMG_PASS
  ].join('')

  it('output keeps last lines', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}\n`)
    const log = `${beforeSimpleclient}Remote communication ... \n${lines.join('')}done\n`
    const output = byId(parseLog(log).tests, 'simpleclient').output
    expect(output.length).toBe(MAX_OUTPUT_LINES)
  })

  it('output ends with the end word', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}\n`)
    const log = `${beforeSimpleclient}Remote communication ... \n${lines.join('')}done\n`
    const output = byId(parseLog(log).tests, 'simpleclient').output
    expect(output.slice(-2)).toEqual(['line 99', 'done'])
  })

  it('long line: test passes', () => {
    const tracker = new SuiteTracker()
    const log = `${beforeSimpleclient}Remote communication ... ${'x'.repeat(300_000)}\ndone\n`
    feedInChunks(tracker, log, 3, 4096)
    expect(byId(tracker.results(), 'simpleclient').outcome).toBe('passed')
  })

  it('long line: output truncated', () => {
    const log = `${beforeSimpleclient}Remote communication ... ${'x'.repeat(300_000)}\ndone\n`
    const output = byId(parseLog(log).tests, 'simpleclient').output
    expect(output[0].length).toBe(MAX_OUTPUT_LINE_CHARS)
  })

  it('long line: line event intact', () => {
    const long = 'y'.repeat(300_000)
    const lines = ofType(parseLog(`${long}\n`).events, 'line')
    expect(lines[0].text).toBe(long)
  })

  it('overlong line: start dropped', () => {
    const lines = ofType(parseLog(`${'z'.repeat(3_000_000)}\n`).events, 'line')
    expect(lines[0].text.startsWith('[... ')).toBe(true)
  })

  it('overlong line: kept length bounded', () => {
    const lines = ofType(parseLog(`${'z'.repeat(3_000_000)}\n`).events, 'line')
    expect(lines[0].text.length).toBeLessThan(600_000)
  })

  it('overlong line: chunking invariant', () => {
    const log = `${beforeSimpleclient}Remote communication ... ${'z'.repeat(2_500_000)}\ndone\n`
    const chunked = feedInChunks(new SuiteTracker(), log, 11, 70_000)
    expect(chunked).toEqual(parseLog(log).events)
  })

  it('repeated error line reported once', () => {
    const line = 'foo.c:1:2: error: boom\n'
    expect(parseLog(line + line).buildErrors).toHaveLength(1)
  })
})

describe('parseBuildError', () => {
  it('compiler error without column', () => {
    expect(parseBuildError('x.c:7: error: bad', 3)).toEqual({
      file: 'x.c',
      line: 7,
      message: 'bad',
      logLine: 3
    })
  })

  it('fatal error', () => {
    const error = parseBuildError(
      'x.c:1:10: fatal error: zlib.h: No such file or directory',
      1
    )
    expect(error?.message).toBe('zlib.h: No such file or directory')
  })

  it('GNU make error', () => {
    const line = 'make[1]: *** [Makefile:5: all] Error 2'
    expect(parseBuildError(line, 1)).toEqual({ message: line, logLine: 1 })
  })

  it('undefined reference with section', () => {
    const error = parseBuildError(
      "/usr/bin/ld: main.o:(.text+0x1c): undefined reference to `rump_init'",
      1
    )
    expect(error).toEqual({
      file: 'main.o',
      message: "undefined reference to `rump_init'",
      logLine: 1
    })
  })

  it('cross gcc option error', () => {
    const line =
      "powerpc-linux-musl-gcc: error: unrecognized command-line option '-m64x'"
    expect(parseBuildError(line, 1)).toEqual({ message: line, logLine: 1 })
  })

  it('linker warning ignored', () => {
    const line =
      '/usr/bin/ld: warning: init has a LOAD segment with RWX permissions'
    expect(parseBuildError(line, 1)).toBeUndefined()
  })

  it('compiler warning ignored', () => {
    expect(parseBuildError('x.c:1:2: warning: unused', 1)).toBeUndefined()
  })

  it('error lines inside a test ignored', () => {
    const log = `${SUITE_START}bootstrap test\nx.c:1:2: error: from the guest\nDone\n`
    expect(parseLog(log).buildErrors).toEqual([])
  })
})
