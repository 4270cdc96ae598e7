// Measures how long a hung test holds up the suite: the seconds from the
// hung test's title to the next test's title, with the watchdog ending the
// hung powerpc program under qemu-user. Run with `npx tsx bench/watchdog.ts
// [rounds] [test-timeout-ms]`. Needs qemu-user-static, gcc-powerpc-linux-gnu
// and gdb-multiarch; uses binfmt_misc when qemu-ppc is enabled there.
import { execFile, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { findArch, type Arch } from '../src/arches.js'
import type { Ui } from '../src/ui.js'
import { killTree } from '../src/watchdog/kill.js'
import { RUN_ID_VARIABLE } from '../src/watchdog/proc.js'
import { Watchdog } from '../src/watchdog/watchdog.js'

const execFileAsync = promisify(execFile)
const SOURCES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '__tests__',
  'fixtures',
  'guest'
)

interface Sample {
  readonly id: string
  readonly startedAt: number
  nextStartedAt?: number
  detectedAt?: number
  reportedAt?: number
}

const silentUi: Ui = {
  info: () => {},
  debug: () => {},
  notice: () => {},
  warning: message => console.error(`warning: ${message}`),
  error: message => console.error(`error: ${message}`),
  group: (_title, fn) => fn(),
  output: () => {},
  setOutput: () => {},
  addPath: () => {},
  appendSummary: async () => {}
}

function binfmtEnabled(): boolean {
  const entry = '/proc/sys/fs/binfmt_misc/qemu-ppc'
  return existsSync(entry) && readFileSync(entry, 'utf8').startsWith('enabled')
}

/** Writes a suite that alternates spin and lock hangs with a quick test. */
function writeSuite(dir: string, rounds: number): string[] {
  const titles: string[] = []
  const lines = [`die() { echo ">> $*" >&2; exit 1; }`]
  for (let i = 0; i < rounds; i++) {
    const program = i % 2 === 0 ? 'spin' : 'lock'
    titles.push(`${program} ${i} ...`, `next ${i} ...`)
    lines.push(
      `( printf '${program} ${i} ... '; $QEMU ./${program} || die ${program} failed; echo done )`,
      `( printf 'next ${i} ... '; echo done )`
    )
  }
  writeFileSync(join(dir, 'suite.sh'), `${lines.join('\n')}\n`)
  return titles
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 6)
  const testTimeoutMs = Number(process.argv[3] ?? 1000)
  const powerpc = findArch('powerpc') as Arch
  const dir = mkdtempSync(join(tmpdir(), 'watchdog-bench-'))
  const runId = randomUUID()

  for (const program of ['spin', 'lock']) {
    await execFileAsync('powerpc-linux-gnu-gcc', [
      ...['-static', '-g', '-O0', '-pthread'],
      ...['-o', join(dir, program), join(SOURCES, `${program}.c`)]
    ])
  }
  const titles = writeSuite(dir, rounds)

  const child = spawn(
    'sh',
    ['-c', 'ulimit -c unlimited; exec "$@"', 'rump-cross', 'sh', 'suite.sh'],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        [RUN_ID_VARIABLE]: runId,
        QEMU: binfmtEnabled() ? '' : 'qemu-ppc-static'
      }
    }
  )
  const samples: Sample[] = []
  const watchdog = new Watchdog({
    rootPid: child.pid as number,
    runId,
    arch: powerpc,
    testTimeoutMs,
    backtraces: true,
    ui: {
      ...silentUi,
      info: message => {
        if (!message.includes('printed nothing')) return
        const sample = samples.at(-1)
        if (sample) sample.detectedAt = Date.now()
      }
    },
    onHang: testId => {
      const sample = samples.find(s => s.id === testId)
      if (sample) sample.reportedAt = Date.now()
    }
  })

  let output = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    watchdog.progress()
    output += chunk
    while (
      samples.length < titles.length &&
      output.includes(titles[samples.length])
    ) {
      const id = titles[samples.length]
      const previous = samples.at(-1)
      if (previous) {
        watchdog.testEnded(previous.id)
        previous.nextStartedAt = Date.now()
      }
      samples.push({ id, startedAt: Date.now() })
      watchdog.testStarted(id)
    }
  })
  // The shell reports each ended program (`Quit (core dumped)`) here.
  child.stderr?.on('data', () => watchdog.progress())
  await new Promise(resolve => child.on('exit', resolve))
  await watchdog.stop()
  await killTree(child.pid as number, 'SIGKILL', { runId })
  rmSync(dir, { recursive: true, force: true })

  const seconds = (ms: number | undefined) =>
    ms === undefined ? '   -  ' : (ms / 1000).toFixed(2).padStart(6)
  console.log(
    `test-timeout ${testTimeoutMs} ms, ${binfmtEnabled() ? 'binfmt_misc' : 'explicit qemu-ppc-static'}`
  )
  console.log(
    'hung test   detected  next test  onHang   (seconds after the title)'
  )
  const totals: number[] = []
  for (const sample of samples.filter(s => !s.id.startsWith('next'))) {
    const since = (at: number | undefined) =>
      at === undefined ? undefined : at - sample.startedAt
    const total = since(sample.nextStartedAt)
    if (total !== undefined) totals.push(total)
    console.log(
      `${sample.id.padEnd(10)} ${seconds(since(sample.detectedAt))}    ${seconds(total)}    ${seconds(since(sample.reportedAt))}`
    )
  }
  const mean = totals.reduce((a, b) => a + b, 0) / Math.max(1, totals.length)
  console.log(
    `hang to next test: mean ${(mean / 1000).toFixed(2)} s, max ${(Math.max(...totals) / 1000).toFixed(2)} s over ${totals.length} hangs`
  )
}

await main()
