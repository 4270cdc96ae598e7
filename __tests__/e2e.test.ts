// End-to-end: dist/index.js under Node 24 with runner variables, a real musl
// powerpc toolchain served from a loopback server, real qemu and binfmt, and
// the buildrump.sh stand-in compiling and running real powerpc programs.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readReport } from '../src/report/json.js'
import { type ActionRun, runAction } from './support/action-run.js'
import { startServer, type TestServer } from './support/http-server.js'
import { testToolchain } from './support/toolchain.js'

const STANDIN = path.resolve('__tests__/fixtures/buildrump-standin')

const BINFMT = '/proc/sys/fs/binfmt_misc'

let server: TestServer
let toolchainUrl: string
let toolCache: string
let txzSha256: string

beforeAll(async () => {
  const toolchain = await testToolchain('powerpc')
  server = await startServer({ lifetimeMs: 900_000, maxRequests: 50 })
  server.script('/powerpc-linux-musl-cross.tgz', {
    body: readFileSync(toolchain.tgz)
  })
  server.script('/powerpc-unknown-linux-musl.tar.xz', {
    body: readFileSync(toolchain.txz)
  })
  txzSha256 = toolchain.txzSha256
  toolchainUrl = `${server.origin}/{triple}-cross.tgz`
  toolCache = await mkdtemp(path.join(os.tmpdir(), 'rc-e2e-cache-'))
}, 600_000)

afterAll(async () => {
  await server?.close()
})

function baseInputs(
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    arch: 'powerpc',
    'toolchain-url': toolchainUrl,
    'buildrump-path': STANDIN,
    jobs: '2',
    'test-timeout': '5m',
    timeout: '0',
    backtraces: 'true',
    cache: 'true',
    'upload-logs': 'true',
    ...extra
  }
}

/**
 * Lists processes of rump-cross runs: those whose environment carries a run
 * id. With `runnerTemp`, only those of that one run, because other runs may
 * go on at the same time on this machine. With `command`, only those whose
 * command line matches it.
 */
function processesOfRuns(runnerTemp?: string, command?: RegExp): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1')
      if (!environ.includes('RUMP_CROSS_RUN_ID=')) continue
      if (runnerTemp && !environ.includes(`RUNNER_TEMP=${runnerTemp}\0`)) {
        continue
      }
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1')
      if (!command || command.test(cmdline)) pids.push(Number(entry))
    } catch {
      // The process ended while the list was read.
    }
  }
  return pids
}

describe('action run on powerpc', () => {
  let run: ActionRun

  beforeAll(async () => {
    run = await runAction({ inputs: baseInputs(), toolCache })
  }, 600_000)

  it('exits 0', () => {
    expect(run.exitCode).toBe(0)
  })

  it('sets outcome passed', () => {
    expect(run.outputs.outcome).toBe('passed')
  })

  it('counts 8 passed tests', () => {
    expect(run.outputs['tests-passed']).toBe('8')
  })

  it('counts dynamic as skipped', () => {
    expect(run.outputs['tests-skipped']).toBe('1')
  })

  it('resolves the triple and NetBSD machine', () => {
    expect([run.outputs.triple, run.outputs['netbsd-machine']]).toEqual([
      'powerpc-linux-musl',
      'evbppc'
    ])
  })

  it('reports the qemu version', () => {
    expect(run.outputs['qemu-version']).toMatch(/^\d+\.\d+/)
  })

  it('points cc at the downloaded compiler', () => {
    expect(path.basename(run.outputs.cc)).toBe('powerpc-linux-musl-gcc')
  })

  it('downloads on a cold tool cache', () => {
    expect(run.outputs['cache-hit']).toBe('false')
  })

  it('writes a summary row per test', () => {
    // Underscores are escaped in the Markdown table.
    const rows = run.summary
      .split('\n')
      .filter(line => /^\| [a-z]/.test(line) && !line.startsWith('| test |'))
    expect(rows.map(row => row.split(' | ')[0])).toEqual([
      '| init',
      '| fstest',
      '| fstest\\_img',
      '| simpleclient',
      '| nettest\\_simple',
      '| nettest\\_simple6',
      '| nettest\\_routed',
      '| nettest\\_routed6',
      '| dynamic'
    ])
  })

  it('writes the full log', () => {
    const log = readFileSync(run.outputs.log, 'utf8')
    expect(log).toContain('Running simple tests')
  })

  it('writes a report that passes the schema', async () => {
    const report = await readReport(run.outputs.report)
    expect(report.counts).toMatchObject({ passed: 8, skipped: 1 })
  })

  it('opens a log group per buildrump.sh command', () => {
    for (const command of ['tools', 'build', 'install', 'tests']) {
      expect(run.stdout).toContain(`::group::buildrump.sh ${command}`)
    }
  })

  it('leaves no process of the run', () => {
    expect(processesOfRuns(run.runnerTemp)).toEqual([])
  })

  it('hits the tool cache on the second run', async () => {
    const second = await runAction({
      inputs: baseInputs({ commands: 'probe' }),
      toolCache
    })
    expect(second.outputs['cache-hit']).toBe('true')
  }, 600_000)
})

describe('action run with hung and crashed tests', () => {
  let run: ActionRun

  beforeAll(async () => {
    run = await runAction({
      inputs: baseInputs({
        'test-timeout': '3s',
        'known-issues': 'nettest_simple6: fail'
      }),
      env: {
        STANDIN_FAULTS:
          'fstest:hang-lock fstest_img:hang-spin simpleclient:abort nettest_simple:workflow-commands nettest_simple6:fail nettest_routed:segv'
      },
      toolCache
    })
  }, 600_000)

  function result(id: string) {
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'))
    return report.tests.find((t: { id: string }) => t.id === id)
  }

  it('fails the step', () => {
    expect(run.exitCode).toBe(1)
  })

  it('sets outcome hung', () => {
    expect(run.outputs.outcome).toBe('hung')
  })

  it('counts two hung tests', () => {
    expect(run.outputs['tests-hung']).toBe('2')
  })

  it('counts two crashed tests', () => {
    expect(run.outputs['tests-crashed']).toBe('2')
  })

  it('names the blocked function in the backtrace', () => {
    expect(result('fstest').backtraces[0].text).toContain(
      'wait_forever_on_lock'
    )
  })

  it('names the spinning function in the backtrace', () => {
    expect(result('fstest_img').backtraces[0].text).toContain('spin_forever')
  })

  it('names the aborting function in the backtrace', () => {
    const traces = result('simpleclient').backtraces.map(
      (b: { text: string }) => b.text
    )
    expect(traces.join('\n')).toContain('abort_here')
  })

  it('names the faulting function in the backtrace', () => {
    const traces = result('nettest_routed').backtraces.map(
      (b: { text: string }) => b.text
    )
    expect(traces.join('\n')).toContain('crash_here')
  })

  it('still runs the tests after the faults', () => {
    expect(result('nettest_routed6').outcome).toBe('passed')
  })

  it('marks the known issue as expected', () => {
    expect(result('nettest_simple6')).toMatchObject({
      outcome: 'failed',
      expected: true
    })
  })

  it('keeps test output from issuing workflow commands', () => {
    // The runner ignores commands between ::stop-commands::T and ::T::.
    let stopToken: string | undefined
    const active: string[] = []
    for (const line of run.stdout.split('\n')) {
      if (stopToken !== undefined) {
        if (line === `::${stopToken}::`) stopToken = undefined
        continue
      }
      const stop = /^::stop-commands::(.+)$/.exec(line)
      if (stop) stopToken = stop[1]
      else if (/^::(error::injected|add-mask::|stop-commands::x)/.test(line)) {
        active.push(line)
      }
    }
    expect(active).toEqual([])
  })

  it('titles annotations with arch and test', () => {
    // Annotation properties escape ":" as %3A.
    expect(run.stdout).toContain('::error title=powerpc%3A fstest hung::')
  })

  it('leaves no process of the run', () => {
    expect(processesOfRuns(run.runnerTemp)).toEqual([])
  })
})

describe('action run with bad input', () => {
  it('rejects an unknown arch with the supported list', async () => {
    const run = await runAction({ inputs: baseInputs({ arch: 'vax' }) })
    expect(run.stdout).toMatch(
      /::error::Input arch "vax" is not a known architecture\. Use one of: powerpc, /
    )
  }, 60_000)

  it('sets setup-failed for an unknown arch', async () => {
    const run = await runAction({ inputs: baseInputs({ arch: 'vax' }) })
    expect([run.exitCode, run.outputs.outcome]).toEqual([1, 'setup-failed'])
  }, 60_000)
})

describe('action run cancelled during a hang', () => {
  let run: ActionRun

  beforeAll(async () => {
    let pid = 0
    const cancel = setInterval(() => {
      // Cancel once the hanging test runs its emulated program.
      if (
        pid !== 0 &&
        processesOfRuns(undefined, /brtests\/fstest\//).length > 0
      ) {
        clearInterval(cancel)
        setTimeout(() => process.kill(pid, 'SIGTERM'), 1000)
      }
    }, 200)
    run = await runAction({
      inputs: baseInputs({ 'test-timeout': '10m' }),
      env: { STANDIN_FAULTS: 'fstest:hang-spin' },
      toolCache,
      onStart: childPid => (pid = childPid)
    })
    clearInterval(cancel)
  }, 600_000)

  it('fails the step', () => {
    expect(run.exitCode).toBe(1)
  })

  it('still writes the report', () => {
    expect(existsSync(run.outputs.report)).toBe(true)
  })

  it('reports the tests after the hang as not-run', () => {
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'))
    expect(report.counts['not-run']).toBeGreaterThanOrEqual(7)
  })

  it('leaves no process of the run', () => {
    expect(processesOfRuns(run.runnerTemp)).toEqual([])
  })
})

describe('action run with the overall timeout', () => {
  let run: ActionRun

  beforeAll(async () => {
    run = await runAction({
      inputs: baseInputs({ 'test-timeout': '10m', timeout: '15s' }),
      env: { STANDIN_FAULTS: 'fstest:hang-spin' },
      toolCache
    })
  }, 600_000)

  it('fails the step', () => {
    expect(run.exitCode).toBe(1)
  })

  it('marks the test that overstayed as hung', () => {
    expect([run.outputs.outcome, run.outputs['tests-hung']]).toEqual([
      'hung',
      '1'
    ])
  })

  it('says the timeout stopped the run', () => {
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'))
    expect(report.error).toContain('timed out after 15.0 s')
  })

  it('ends within seconds of the timeout', () => {
    expect(run.durationMs).toBeLessThan(40_000)
  })

  it('leaves no process of the run', () => {
    expect(processesOfRuns(run.runnerTemp)).toEqual([])
  })
})

describe('action run with a cross-tools .tar.xz', () => {
  it('uses the vendor-prefixed compiler', async () => {
    const run = await runAction({
      inputs: baseInputs({
        'toolchain-url': `${server.origin}/{vendor-triple}.tar.xz`,
        'toolchain-sha256': txzSha256,
        commands: 'probe'
      })
    })
    expect([run.outputs.outcome, path.basename(run.outputs.cc)]).toEqual([
      'passed',
      'powerpc-unknown-linux-musl-gcc'
    ])
  }, 600_000)

  it('rejects a wrong sha256 and caches nothing', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'rc-e2e-cache-'))
    const run = await runAction({
      inputs: baseInputs({
        'toolchain-url': `${server.origin}/{vendor-triple}.tar.xz`,
        'toolchain-sha256': '0'.repeat(64),
        commands: 'probe'
      }),
      toolCache: cache
    })
    expect([run.outputs.outcome, readdirSync(cache)]).toEqual([
      'setup-failed',
      []
    ])
  }, 600_000)
})

describe('action run with binfmt faults', () => {
  const brokenEntry = `${BINFMT}/rc-e2e-broken`

  afterEach(() => {
    if (existsSync(brokenEntry)) writeFileSync(brokenEntry, '-1')
    writeFileSync(`${BINFMT}/qemu-ppc`, '1')
  })

  it('enables a disabled qemu-ppc entry', async () => {
    writeFileSync(`${BINFMT}/qemu-ppc`, '0')
    const run = await runAction({
      inputs: baseInputs({ commands: 'probe' }),
      toolCache
    })
    const state = readFileSync(`${BINFMT}/qemu-ppc`, 'utf8').split('\n')[0]
    expect([run.outputs.outcome, state]).toEqual(['passed', 'enabled'])
  }, 600_000)

  it('names a broken registration before buildrump.sh runs', async () => {
    // A newer entry with the same magic wins, so programs of the target
    // now go to an interpreter that does not exist.
    const entry = readFileSync(`${BINFMT}/qemu-ppc`, 'utf8')
    const field = (name: string): string =>
      new RegExp(`^${name} ([0-9a-f]+)$`, 'm').exec(entry)![1]
    const escape = (hex: string): string => hex.replace(/(..)/g, '\\x$1')
    writeFileSync(
      `${BINFMT}/register`,
      `:rc-e2e-broken:M::${escape(field('magic'))}:${escape(field('mask'))}:/nonexistent/qemu-ppc:`
    )

    const run = await runAction({ inputs: baseInputs(), toolCache })

    expect(run.outputs.outcome).toBe('setup-failed')
    expect(run.stdout).toContain('rc-e2e-broken')
    expect(run.stdout).not.toContain('::group::buildrump.sh')
  }, 600_000)
})

describe('action run cancelled during the download', () => {
  let run: ActionRun

  beforeAll(async () => {
    server.script('/stalled/powerpc-linux-musl-cross.tgz', {
      body: Buffer.alloc(4 * 1024 * 1024),
      stallAfter: 1024
    })
    run = await runAction({
      inputs: baseInputs({
        'toolchain-url': `${server.origin}/stalled/{triple}-cross.tgz`
      }),
      onStart: pid => setTimeout(() => process.kill(pid, 'SIGTERM'), 2000)
    })
  }, 120_000)

  it('ends within seconds of the signal', () => {
    expect(run.durationMs).toBeLessThan(15_000)
  })

  it('sets setup-failed', () => {
    expect(run.outputs.outcome).toBe('setup-failed')
  })

  it('says the run was cancelled', () => {
    expect(run.stdout).toContain(
      '::error::The run was cancelled before buildrump.sh started.'
    )
  })

  it('still writes the report', () => {
    expect(existsSync(run.outputs.report)).toBe(true)
  })
})
