// The watchdog against real powerpc programs under qemu-user: a suite shaped
// like buildrump.sh's tests/testrump.sh, with tests that block, spin, abort,
// crash and daemonize. Needs qemu-user-static, gcc-powerpc-linux-gnu and
// gdb-multiarch; binfmt_misc is used when it can be enabled, qemu-ppc-static
// is named explicitly otherwise.
import {
  execFile,
  execFileSync,
  spawn,
  type ChildProcess
} from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { findArch, type Arch } from '../src/arches.js'
import type { Backtrace } from '../src/results.js'
import type { Ui } from '../src/ui.js'
import {
  backtrace,
  collectCrashBacktraces,
  findGuestCores,
  isQemuCommand,
  parseSignalReport,
  type SignalReport
} from '../src/watchdog/backtrace.js'
import { readCoreCommand, type CoreCommand } from '../src/elf.js'
import { dumpCores } from '../src/watchdog/hang.js'
import { killTree } from '../src/watchdog/kill.js'
import {
  emulatedProcesses,
  hasRunMarker,
  listProcesses,
  RUN_ID_VARIABLE
} from '../src/watchdog/proc.js'
import { Watchdog, type HangInfo } from '../src/watchdog/watchdog.js'

const execFileAsync = promisify(execFile)
const powerpc = findArch('powerpc') as Arch
const GUEST_SOURCES = join(
  dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'guest'
)
const PROGRAMS = ['lock', 'spin', 'abort', 'segv', 'daemon']
const BINFMT = '/proc/sys/fs/binfmt_misc'
const TEST_TIMEOUT_MS = 2000

function missingTools(): string[] {
  const tools = ['qemu-ppc-static', 'powerpc-linux-gnu-gcc', 'gdb-multiarch']
  return tools.filter(tool => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
      return false
    } catch {
      return true
    }
  })
}

/**
 * Mounts binfmt_misc and enables qemu-ppc when possible. Returns whether
 * powerpc binaries now run directly.
 */
function enableBinfmt(): boolean {
  const entry = join(BINFMT, 'qemu-ppc')
  const enabled = () =>
    existsSync(entry) && readFileSync(entry, 'utf8').startsWith('enabled')
  try {
    if (!existsSync(join(BINFMT, 'register')))
      execFileSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT])
    if (!enabled()) execFileSync('update-binfmts', ['--enable', 'qemu-ppc'])
  } catch {
    // Not root, or no binfmt-support: the callers name qemu explicitly.
  }
  return enabled()
}

async function compileGuest(name: string, output: string): Promise<void> {
  await execFileAsync('powerpc-linux-gnu-gcc', [
    '-static',
    '-g',
    '-O0',
    '-pthread',
    '-o',
    output,
    join(GUEST_SOURCES, `${name}.c`)
  ])
}

/** Creates a Ui that keeps every message, for checks and failure output. */
function recordingUi(): Ui & { lines: string[] } {
  const lines: string[] = []
  const add = (kind: string) => (message: string) => {
    lines.push(`${kind}: ${message}`)
  }
  return {
    lines,
    info: add('info'),
    debug: add('debug'),
    notice: add('notice'),
    warning: add('warning'),
    error: add('error'),
    group: (_title, fn) => fn(),
    output: output => lines.push(...output),
    setOutput: () => {},
    addPath: () => {},
    appendSummary: async () => {}
  }
}

function coreFilesOfQemu(dir: string): string[] {
  return readdirSync(dir).filter(name => /^core(\..+)?$/.test(name))
}

/** Lists live processes of a run: the group its root led, or the marker. */
function leftovers(rootPid: number, runId: string) {
  return listProcesses().filter(
    p => p.state !== 'Z' && (p.pgid === rootPid || hasRunMarker(p.pid, runId))
  )
}

let work: string
let bin: string
let qemuPrefix: string

beforeAll(async () => {
  const missing = missingTools()
  if (missing.length > 0)
    throw new Error(
      `missing ${missing.join(', ')}: install qemu-user-static, gcc-powerpc-linux-gnu and gdb-multiarch`
    )
  qemuPrefix = enableBinfmt() ? '' : 'qemu-ppc-static'
  work = mkdtempSync(join(tmpdir(), 'watchdog-qemu-'))
  bin = join(work, 'bin')
  mkdirSync(bin)
  await Promise.all(PROGRAMS.map(name => compileGuest(name, join(bin, name))))
}, 60_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('emulated processes under qemu-ppc', () => {
  let child: ChildProcess | undefined
  const runId = randomUUID()

  afterEach(async () => {
    if (child?.pid !== undefined)
      await killTree(child.pid, 'SIGKILL', { runId })
  })

  it('finds binfmt and explicit qemu, and dumps a background job', async () => {
    const dir = join(work, 'live')
    mkdirSync(dir)
    copyFileSync(join(bin, 'spin'), join(dir, 'spin'))
    // A shell starts background jobs with SIGQUIT ignored, and qemu keeps
    // that for the guest, so the first spin needs SIGABRT for its core.
    const script = [
      `ulimit -c unlimited`,
      `${qemuPrefix} ./spin &`,
      `qemu-ppc-static -E EXTRA=1 ./spin first-arg &`,
      `sleep 30 &`,
      `wait`
    ].join('\n')
    child = spawn('sh', ['-c', script], {
      cwd: dir,
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [RUN_ID_VARIABLE]: runId }
    })
    const rootPid = child.pid as number

    let found = emulatedProcesses(rootPid, powerpc)
    for (let i = 0; i < 100 && found.length < 2; i++) {
      await sleep(50)
      found = emulatedProcesses(rootPid, powerpc)
    }

    expect(found).toHaveLength(2)
    const spinPath = realpathSync(join(dir, 'spin'))
    for (const process of found) {
      expect(process.program).toBe(spinPath)
      expect(process.cwd).toBe(realpathSync(dir))
      expect(process.exe).toMatch(/qemu-ppc(-static)?$/)
    }
    expect(emulatedProcesses(rootPid, findArch('ppc64') as Arch)).toEqual([])

    const background = found[0]
    const [ended] = await dumpCores([background], {
      graceMs: 5000,
      log: () => {}
    })

    expect(ended.signals).toEqual(['SIGQUIT', 'SIGABRT'])
    expect(ended.core).toBeDefined()
    const trace = await backtrace(ended.program, ended.core as string, {
      timeoutMs: 30_000
    })
    expect(trace.text).toContain('spin_forever')
  })
})

describe('core limit of a running process', () => {
  let child: ChildProcess | undefined

  afterEach(async () => {
    if (child?.pid !== undefined) await killTree(child.pid, 'SIGKILL')
  })

  /** Starts spin under the given ulimit command and waits until it runs. */
  async function startSpin(dir: string, ulimit: string) {
    mkdirSync(dir)
    copyFileSync(join(bin, 'spin'), join(dir, 'spin'))
    const command = `${ulimit}; exec ${qemuPrefix} ./spin`
    child = spawn('sh', ['-c', command], { cwd: dir, stdio: 'ignore' })
    const rootPid = child.pid as number

    let found = emulatedProcesses(rootPid, powerpc)
    for (let i = 0; i < 100 && found.length === 0; i++) {
      await sleep(50)
      found = emulatedProcesses(rootPid, powerpc)
    }
    return found
  }

  /** Tells whether this process has CAP_SYS_RESOURCE (capability 24). */
  function canRaiseHardLimits(): boolean {
    const status = readFileSync('/proc/self/status', 'utf8')
    const effective = BigInt(
      `0x${/^CapEff:\s+(\w+)/m.exec(status)?.[1] ?? '0'}`
    )
    return (effective & (1n << 24n)) !== 0n
  }

  it('raises a zero soft limit', async () => {
    const found = await startSpin(join(work, 'soft-limit'), 'ulimit -S -c 0')
    expect(found).toHaveLength(1)
    const logged: string[] = []

    const [ended] = await dumpCores(found, {
      graceMs: 5000,
      log: message => logged.push(message)
    })

    expect(logged).toEqual([])
    expect(ended.signals).toEqual(['SIGQUIT'])
    expect(ended.core).toBeDefined()
  })

  it('logs a zero hard limit it cannot raise', async () => {
    const found = await startSpin(join(work, 'hard-limit'), 'ulimit -c 0')
    expect(found).toHaveLength(1)
    const logged: string[] = []

    const [ended] = await dumpCores(found, {
      graceMs: 5000,
      log: message => logged.push(message)
    })

    // qemu still ends on SIGQUIT, only without a core.
    expect(ended.signals).toEqual(['SIGQUIT'])
    if (canRaiseHardLimits()) {
      expect(ended.core).toBeDefined()
    } else {
      expect(logged.join('\n')).toMatch(/prlimit --core=unlimited failed/)
      expect(ended.core).toBeUndefined()
    }
  })
})

describe('crash cores', () => {
  it('gives backtraces of abort and segfault', async () => {
    const dir = join(work, 'crash')
    mkdirSync(dir)
    copyFileSync(join(bin, 'abort'), join(dir, 'abort'))
    copyFileSync(join(bin, 'segv'), join(dir, 'segv'))
    const since = Date.now()

    const script = `ulimit -c unlimited; ${qemuPrefix} ./abort; ${qemuPrefix} ./segv; true`
    const { stderr } = await execFileAsync('sh', ['-c', script], { cwd: dir })
    const reports = stderr
      .split('\n')
      .map(parseSignalReport)
      .filter(s => s !== undefined)

    // With a guest core written, qemu 7.2 prints nothing; dash reports.
    expect(reports).toEqual([
      { description: 'Aborted', source: 'shell' },
      { description: 'Segmentation fault', source: 'shell' }
    ])
    for (const name of coreFilesOfQemu(dir)) {
      const command = readCoreCommand(join(dir, name))
      expect(command).toBeDefined()
      expect(isQemuCommand(command as CoreCommand)).toBe(true)
    }

    const traces = await collectCrashBacktraces(dir, since, {
      timeoutMs: 30_000
    })

    expect(traces.map(t => t.program)).toEqual([
      join(dir, 'abort'),
      join(dir, 'segv')
    ])
    expect(traces[0].text).toContain('abort_here')
    expect(traces[1].text).toContain('crash_here')
    expect(coreFilesOfQemu(dir)).toEqual([])
    expect(await findGuestCores(dir, since)).toHaveLength(2)
  })

  it('reports a gdb that times out', async () => {
    const gdb = join(work, 'slow-gdb')
    writeFileSync(gdb, '#!/bin/sh\necho partial\nexec sleep 30\n')
    chmodSync(gdb, 0o755)
    const started = Date.now()

    const trace = await backtrace('/x/prog', '/x/core', { timeoutMs: 300, gdb })

    expect(Date.now() - started).toBeLessThan(5000)
    expect(trace.text).toMatch(/timed out after 300 ms/)
    expect(trace.text).toContain('partial')
  })

  it('reports a missing gdb', async () => {
    const trace = await backtrace('/x/prog', '/x/core', {
      timeoutMs: 1000,
      gdb: join(work, 'no-such-gdb')
    })
    expect(trace.text).toMatch(/not found.*install gdb-multiarch/)
  })
})

// The suite, shaped like testrump.sh: each test runs its program in a
// subshell in its own folder, and `|| die` fails the test but not the loop.
const SUITE_SCRIPT = `
die() { echo '>> ERROR:' >&2; echo ">> $*" >&2; exit 1; }
dolock() { echo lock test; $QEMU ./lock || die lock failed; echo Done; }
dospin() { printf 'spin test ... '; $QEMU ./spin || die spin failed; echo done; }
doabort() { printf 'abort test ... '; $QEMU ./abort || die abort failed; echo done; }
dosegv() { printf 'segv test ... '; $QEMU ./segv || die segv failed; echo done; }
dohost() { printf 'host wait test ... '; sleep 600 || die host wait failed; echo done; }
dodaemon() { printf 'daemon test ... '; $QEMU ./daemon wait || die daemon failed; echo done; }
dodetach() { printf 'detach test ... '; $QEMU ./daemon detach || die detach failed; echo done; }
dolast() { printf 'last test ... '; echo done; }

echo Running simple tests
failed=0
for test in lock spin abort segv host daemon detach last; do
	( cd "$TESTOBJ/$test" ; do$test )
	failed=$(( failed + $? ))
done
pkill -TERM -P $$
[ $failed -ne 0 ] && die "FAILED $failed tests!"
echo
echo Success
`

const SUITE_TESTS: readonly { id: string; title: string; program?: string }[] =
  [
    { id: 'lock', title: 'lock test', program: 'lock' },
    { id: 'spin', title: 'spin test ...', program: 'spin' },
    { id: 'abort', title: 'abort test ...', program: 'abort' },
    { id: 'segv', title: 'segv test ...', program: 'segv' },
    { id: 'host', title: 'host wait test ...' },
    { id: 'daemon', title: 'daemon test ...', program: 'daemon' },
    { id: 'detach', title: 'detach test ...', program: 'daemon' },
    { id: 'last', title: 'last test ...' }
  ]

interface ObservedTest {
  readonly id: string
  readonly startedAt: number
  output: string
  /** Signal death reported on stderr while the test ran. */
  signalReport?: SignalReport
  crashTraces?: Backtrace[]
}

/**
 * Plays the runner: starts the suite the way it starts buildrump.sh, reports
 * titles and output to the watchdog, collects crash backtraces, and ends
 * the run with killTree once the suite's shell has exited.
 */
async function runSuite(testObj: string, runId: string) {
  const ui = recordingUi()
  const observed: ObservedTest[] = []
  const hangs = new Map<string, HangInfo>()
  const detected: string[] = []
  const crashCollections: Promise<void>[] = []
  let current: ObservedTest | undefined
  let stdout = ''
  let scanFrom = 0

  const scriptPath = join(testObj, 'suite.sh')
  writeFileSync(scriptPath, SUITE_SCRIPT)
  const child = spawn(
    'sh',
    ['-c', 'ulimit -c unlimited; exec "$@"', 'rump-cross', 'sh', scriptPath],
    {
      cwd: testObj,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        [RUN_ID_VARIABLE]: runId,
        TESTOBJ: testObj,
        QEMU: qemuPrefix
      }
    }
  )
  const rootPid = child.pid as number
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code))
  )
  // A leftover daemon keeps the output pipes open, so 'close' comes only
  // after killTree.
  const closed = new Promise<void>(resolve =>
    child.on('close', () => resolve())
  )
  const watchdog = new Watchdog({
    rootPid,
    runId,
    arch: powerpc,
    testTimeoutMs: TEST_TIMEOUT_MS,
    graceMs: 5000,
    backtraces: true,
    ui,
    onHangDetected: testId => detected.push(testId),
    onHang: (testId, info) => hangs.set(testId, info)
  })

  const finish = (test: ObservedTest | undefined) => {
    if (test === undefined) return
    watchdog.testEnded(test.id)
    if (test.signalReport === undefined || watchdog.wasHung(test.id)) return
    crashCollections.push(
      collectCrashBacktraces(join(testObj, test.id), test.startedAt, {
        timeoutMs: 30_000
      }).then(traces => {
        test.crashTraces = traces
      })
    )
  }

  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    watchdog.progress()
    stdout += chunk
    if (current) current.output += chunk
    for (;;) {
      const next = SUITE_TESTS[observed.length]
      const at = next === undefined ? -1 : stdout.indexOf(next.title, scanFrom)
      if (at < 0) break
      finish(current)
      current = { id: next.id, startedAt: Date.now(), output: stdout.slice(at) }
      observed.push(current)
      watchdog.testStarted(next.id)
      scanFrom = at + next.title.length
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    watchdog.progress()
    ui.lines.push(`stderr: ${chunk}`)
    for (const line of chunk.split('\n')) {
      const report = parseSignalReport(line)
      if (report && current) current.signalReport = report
    }
  })

  const exitCode = await exited
  await watchdog.stop()
  const daemons = emulatedProcesses(rootPid, powerpc, { runId })
  const killed = await killTree(rootPid, 'SIGTERM', { runId, graceMs: 1000 })
  const left = leftovers(rootPid, runId)
  await closed
  finish(current)
  await Promise.all(crashCollections)
  return {
    rootPid,
    exitCode,
    observed,
    hangs,
    detected,
    ui,
    daemons,
    killed,
    left
  }
}

describe('watchdog on a testrump.sh-like suite', () => {
  const runId = randomUUID()
  let testObj: string
  let result: Awaited<ReturnType<typeof runSuite>>

  beforeAll(async () => {
    testObj = join(work, 'brtests')
    for (const test of SUITE_TESTS) {
      mkdirSync(join(testObj, test.id), { recursive: true })
      if (test.program)
        copyFileSync(
          join(bin, test.program),
          join(testObj, test.id, test.program)
        )
    }
    // binfmt may have been switched off since the first beforeAll.
    if (qemuPrefix === '') qemuPrefix = enableBinfmt() ? '' : 'qemu-ppc-static'
    result = await runSuite(testObj, runId)
  }, 60_000)

  afterAll(async () => {
    if (result !== undefined)
      await killTree(result.rootPid, 'SIGKILL', { runId })
  })

  function observedTest(id: string): ObservedTest {
    const test = result.observed.find(t => t.id === id)
    if (test === undefined)
      throw new Error(
        `test ${id} never started; log:\n${result.ui.lines.join('\n')}`
      )
    return test
  }

  function nextStart(id: string): number {
    const index = result.observed.findIndex(t => t.id === id)
    return result.observed[index + 1].startedAt
  }

  it('runs every test to the end', () => {
    expect(result.observed.map(t => t.id)).toEqual(SUITE_TESTS.map(t => t.id))
    expect(result.exitCode).toBe(1)
    expect(result.ui.lines.join('\n')).toContain('FAILED 6 tests!')
  })

  it.each([
    ['lock', 'Quit'],
    ['spin', 'Quit'],
    ['daemon', 'Quit'],
    ['host', 'Killed']
  ])('classifies %s as hung', (id, description) => {
    expect(result.hangs.get(id)?.testId).toBe(id)
    // The shell reports the process that the watchdog ended.
    expect(observedTest(id).signalReport?.description).toBe(description)
    expect(observedTest(id).crashTraces).toBeUndefined()
  })

  it('reports each hang detection once', () => {
    expect(result.detected).toEqual(['lock', 'spin', 'host', 'daemon'])
  })

  it.each([
    ['abort', 'Aborted'],
    ['segv', 'Segmentation fault']
  ])('classifies %s as crashed', (id, description) => {
    expect(result.hangs.has(id)).toBe(false)
    expect(observedTest(id).signalReport?.description).toBe(description)
  })

  it.each(['detach', 'last'])('lets %s pass', id => {
    expect(result.hangs.has(id)).toBe(false)
    expect(observedTest(id).signalReport).toBeUndefined()
    expect(observedTest(id).output).toMatch(/done/)
  })

  it.each(['lock', 'spin', 'host', 'daemon'])(
    'moves on from %s within 3 s of the timeout',
    id => {
      const latency = nextStart(id) - observedTest(id).startedAt
      expect(latency).toBeGreaterThanOrEqual(TEST_TIMEOUT_MS)
      expect(latency).toBeLessThan(TEST_TIMEOUT_MS + 3000)
      expect(result.hangs.get(id)?.idleMs).toBeLessThan(TEST_TIMEOUT_MS + 1000)
    }
  )

  it('catches a process blocked on a lock', () => {
    const info = result.hangs.get('lock') as HangInfo
    expect(info.processes.map(p => p.signals)).toEqual([['SIGQUIT']])
    expect(info.backtraces).toHaveLength(1)
    expect(info.backtraces[0].text).toContain('wait_forever_on_lock')
    expect(info.backtraces[0].text).toContain('pthread_cond_wait')
  })

  it('ends a blocked host process without cores', () => {
    const info = result.hangs.get('host') as HangInfo
    expect(info.processes.map(p => [p.program, p.signals])).toEqual([
      ['sleep', ['SIGKILL']]
    ])
    expect(info.backtraces).toEqual([])
  })

  it('catches a spinning process', () => {
    const info = result.hangs.get('spin') as HangInfo
    expect(info.backtraces).toHaveLength(1)
    expect(info.backtraces[0].text).toContain('spin_forever')
  })

  it('catches a parent blocked on its spinning daemon', () => {
    const info = result.hangs.get('daemon') as HangInfo
    const texts = info.backtraces.map(b => b.text)
    expect(texts).toHaveLength(2)
    expect(texts.filter(t => t.includes('wait_for_daemon'))).toHaveLength(1)
    expect(texts.filter(t => t.includes('daemon_spin'))).toHaveLength(1)
  })

  it.each([
    ['abort', 'abort_here'],
    ['segv', 'crash_here']
  ])('backtraces the %s crash to %s', (id, frame) => {
    const traces = observedTest(id).crashTraces ?? []
    expect(traces).toHaveLength(1)
    expect(traces[0].text).toContain(frame)
  })

  it('keeps guest cores and deletes qemu host cores', () => {
    for (const id of ['lock', 'spin', 'abort', 'segv', 'daemon']) {
      const dir = join(testObj, id)
      expect(
        readdirSync(dir).filter(n => n.endsWith('.core')).length
      ).toBeGreaterThan(0)
      expect(coreFilesOfQemu(dir)).toEqual([])
    }
  })

  it('leaves a marked daemon behind the suite', () => {
    const daemon = result.daemons.map(p => p.program)
    expect(daemon).toEqual([realpathSync(join(testObj, 'detach', 'daemon'))])
    expect(result.daemons[0].sid).not.toBe(result.rootPid)
  })

  it('leaves nothing of the run after killTree', () => {
    expect(result.killed.remaining).toEqual([])
    expect(result.left).toEqual([])
  })
})
