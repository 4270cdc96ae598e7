import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { UserError } from '../src/errors.js'
import {
  DPKG_LOCK_TIMEOUT_SECONDS,
  ensurePackages,
  queryInstalled,
  requiredPackages
} from '../src/host/packages.js'
import {
  defaultHostSystem,
  type HostSystem,
  type RunOptions,
  runCommand,
  type RunResult
} from '../src/host/system.js'
import type { Ui } from '../src/ui.js'

interface Call {
  command: string
  args: readonly string[]
  env?: Readonly<Record<string, string>>
}

type Responder = (call: Call) => Partial<RunResult> | undefined

const LOCK = `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_SECONDS}`
const INSTALL = ['install', '-y', '--no-install-recommends']

function result(fields: Partial<RunResult> = {}): RunResult {
  return {
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    ...fields
  }
}

/** Builds dpkg-query output for the installed packages. */
function dpkgStatus(installed: readonly string[]): string {
  return installed.map(name => `${name}\tinstall ok installed\n`).join('')
}

function fakeSystem(
  respond: Responder,
  isRoot = true
): { system: HostSystem; calls: Call[] } {
  const calls: Call[] = []
  const system: HostSystem = {
    binfmtRoot: '/nonexistent/binfmt_misc',
    isRoot,
    hostArch: 'x86_64',
    searchPath: [],
    async run(command: string, args: readonly string[], options?: RunOptions) {
      const call = { command, args, env: options?.env }
      calls.push(call)
      return result(respond(call))
    }
  }
  return { system, calls }
}

/** Returns a responder: dpkg-query sees the `installed` packages, and apt-get calls go to `apt`. */
function dpkgAndApt(
  installed: readonly string[],
  apt: (call: Call) => Partial<RunResult> | undefined = () => undefined
): Responder {
  return call => {
    if (call.command === 'dpkg-query') {
      return { stdout: dpkgStatus(installed), exitCode: 1 }
    }
    return apt(call)
  }
}

function recordingUi(): Ui & { lines: string[]; warnings: string[] } {
  const lines: string[] = []
  const warnings: string[] = []
  return {
    lines,
    warnings,
    info: m => lines.push(m),
    debug: () => {},
    notice: m => lines.push(m),
    warning: m => warnings.push(m),
    error: m => lines.push(m),
    group: (_title, fn) => fn(),
    output: () => {},
    setOutput: () => {},
    addPath: () => {},
    appendSummary: async () => {}
  }
}

function aptCalls(calls: readonly Call[]): string[][] {
  return calls
    .filter(c => c.command === 'apt-get' || c.command === 'sudo')
    .map(c => [c.command, ...c.args])
}

const ALL = [
  'qemu-user-static',
  'binfmt-support',
  'zlib1g-dev',
  'gdb-multiarch'
]

describe('requiredPackages', () => {
  it('lists qemu, binfmt, zlib and gdb for a foreign target', () => {
    const names = requiredPackages({ native: false, backtraces: true }).map(
      need => need.install
    )
    expect(names).toEqual(ALL)
  })

  it('leaves out gdb-multiarch without backtraces', () => {
    const names = requiredPackages({ native: false, backtraces: false }).map(
      need => need.install
    )
    expect(names).toEqual(['qemu-user-static', 'binfmt-support', 'zlib1g-dev'])
  })

  it('leaves out qemu and binfmt for a native target', () => {
    const names = requiredPackages({ native: true, backtraces: true }).map(
      need => need.install
    )
    expect(names).toEqual(['zlib1g-dev', 'gdb-multiarch'])
  })
})

describe('ensurePackages', () => {
  it('runs no apt-get when everything is installed', async () => {
    const { system, calls } = fakeSystem(dpkgAndApt(ALL))
    const installed = await ensurePackages(
      { native: false, backtraces: true },
      recordingUi(),
      system
    )
    expect(installed).toEqual([])
    expect(aptCalls(calls)).toEqual([])
    expect(calls).toHaveLength(1)
  })

  it('queries dpkg for every candidate package', async () => {
    const { system, calls } = fakeSystem(dpkgAndApt(ALL))
    await ensurePackages(
      { native: false, backtraces: true },
      recordingUi(),
      system
    )
    expect(calls[0].command).toBe('dpkg-query')
    expect(calls[0].args.slice(0, 2)).toEqual([
      '-W',
      '-f=${Package}\\t${Status}\\n'
    ])
    expect([...calls[0].args.slice(2)].sort()).toEqual(
      [...ALL, 'qemu-user', 'qemu-user-binfmt'].sort()
    )
  })

  it('installs only the missing packages as root', async () => {
    const { system, calls } = fakeSystem(
      dpkgAndApt(['qemu-user-static', 'binfmt-support'])
    )
    const installed = await ensurePackages(
      { native: false, backtraces: true },
      recordingUi(),
      system
    )
    expect(installed).toEqual(['zlib1g-dev', 'gdb-multiarch'])
    expect(aptCalls(calls)).toEqual([
      ['apt-get', '-o', LOCK, ...INSTALL, 'zlib1g-dev', 'gdb-multiarch']
    ])
    expect(calls[1].env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' })
  })

  it('accepts static qemu-user with qemu-user-binfmt', async () => {
    const { system, calls } = fakeSystem(
      dpkgAndApt([
        'qemu-user',
        'qemu-user-binfmt',
        'binfmt-support',
        'zlib1g-dev',
        'gdb-multiarch'
      ])
    )
    const installed = await ensurePackages(
      { native: false, backtraces: true },
      recordingUi(),
      system
    )
    expect(installed).toEqual([])
    expect(aptCalls(calls)).toEqual([])
  })

  it('does not accept qemu-user without qemu-user-binfmt', async () => {
    const { system, calls } = fakeSystem(
      dpkgAndApt(['qemu-user', 'binfmt-support', 'zlib1g-dev'])
    )
    await ensurePackages(
      { native: false, backtraces: false },
      recordingUi(),
      system
    )
    expect(aptCalls(calls)).toEqual([
      ['apt-get', '-o', LOCK, ...INSTALL, 'qemu-user-static']
    ])
  })

  it('treats removed packages as missing', async () => {
    const { system, calls } = fakeSystem(call =>
      call.command === 'dpkg-query'
        ? { stdout: 'zlib1g-dev\tdeinstall ok config-files\n', exitCode: 0 }
        : undefined
    )
    await ensurePackages(
      { native: true, backtraces: false },
      recordingUi(),
      system
    )
    expect(aptCalls(calls)).toEqual([
      ['apt-get', '-o', LOCK, ...INSTALL, 'zlib1g-dev']
    ])
  })

  it('updates the lists only when a package is not found', async () => {
    let installs = 0
    const { system, calls } = fakeSystem(
      dpkgAndApt(['zlib1g-dev'], call => {
        if (call.args.includes('install') && installs++ === 0) {
          return {
            exitCode: 100,
            stderr: 'E: Unable to locate package gdb-multiarch\n'
          }
        }
        return undefined
      })
    )
    const installed = await ensurePackages(
      { native: true, backtraces: true },
      recordingUi(),
      system
    )
    expect(installed).toEqual(['gdb-multiarch'])
    expect(aptCalls(calls)).toEqual([
      ['apt-get', '-o', LOCK, ...INSTALL, 'gdb-multiarch'],
      ['apt-get', '-o', LOCK, 'update'],
      ['apt-get', '-o', LOCK, ...INSTALL, 'gdb-multiarch']
    ])
  })

  it('does not update the lists for other failures', async () => {
    const { system, calls } = fakeSystem(
      dpkgAndApt([], () => ({
        exitCode: 100,
        stderr: 'E: Sub-process /usr/bin/dpkg returned an error code (1)\n'
      }))
    )
    await expect(
      ensurePackages({ native: true, backtraces: false }, recordingUi(), system)
    ).rejects.toThrow(/apt-get install failed while installing zlib1g-dev/)
    expect(aptCalls(calls)).toHaveLength(1)
  })

  it('retries only once after apt-get update', async () => {
    const { system, calls } = fakeSystem(
      dpkgAndApt([], call =>
        call.args.includes('install')
          ? {
              exitCode: 100,
              stderr: "E: Package 'zlib1g-dev' has no installation candidate\n"
            }
          : undefined
      )
    )
    const failure = ensurePackages(
      { native: true, backtraces: false },
      recordingUi(),
      system
    )
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      /zlib1g-dev.*apt-get install -y --no-install-recommends zlib1g-dev/
    )
    expect(aptCalls(calls).map(args => args[3])).toEqual([
      'install',
      'update',
      'install'
    ])
  })

  it('falls back to qemu-user and qemu-user-binfmt', async () => {
    const { system, calls } = fakeSystem(
      dpkgAndApt(['binfmt-support', 'zlib1g-dev'], call =>
        call.args.includes('qemu-user-static')
          ? {
              exitCode: 100,
              stderr:
                "E: Package 'qemu-user-static' has no installation candidate\n"
            }
          : undefined
      )
    )
    const installed = await ensurePackages(
      { native: false, backtraces: false },
      recordingUi(),
      system
    )
    expect(installed).toEqual(['qemu-user', 'qemu-user-binfmt'])
    expect(aptCalls(calls)).toEqual([
      ['apt-get', '-o', LOCK, ...INSTALL, 'qemu-user-static'],
      ['apt-get', '-o', LOCK, 'update'],
      ['apt-get', '-o', LOCK, ...INSTALL, 'qemu-user-static'],
      ['apt-get', '-o', LOCK, ...INSTALL, 'qemu-user', 'qemu-user-binfmt']
    ])
  })

  it('reports a held dpkg lock with the fix', async () => {
    const { system } = fakeSystem(
      dpkgAndApt([], () => ({
        exitCode: 100,
        stderr:
          'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by ' +
          'process 812 (unattended-upgr)\n'
      }))
    )
    const failure = ensurePackages(
      { native: true, backtraces: false },
      recordingUi(),
      system
    )
    await expect(failure).rejects.toThrow(
      `could not get the dpkg lock within ${DPKG_LOCK_TIMEOUT_SECONDS} s`
    )
    await expect(failure).rejects.toThrow(/unattended-upgrades/)
  })

  it('says how long it waits for the dpkg lock', async () => {
    const ui = recordingUi()
    const { system } = fakeSystem(dpkgAndApt([]))
    await ensurePackages({ native: true, backtraces: false }, ui, system)
    expect(ui.lines.join('\n')).toContain(
      `waits up to ${DPKG_LOCK_TIMEOUT_SECONDS} s for the dpkg lock`
    )
  })

  it('installs through sudo -n when not root', async () => {
    const { system, calls } = fakeSystem(dpkgAndApt(['zlib1g-dev']), false)
    await ensurePackages(
      { native: true, backtraces: true },
      recordingUi(),
      system
    )
    expect(aptCalls(calls)).toEqual([
      ['sudo', '-n', 'true'],
      [
        'sudo',
        '-n',
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        '-o',
        LOCK,
        ...INSTALL,
        'gdb-multiarch'
      ]
    ])
  })

  it('names packages and fix without sudo', async () => {
    const { system, calls } = fakeSystem(
      dpkgAndApt(['zlib1g-dev'], call =>
        call.command === 'sudo'
          ? { exitCode: 1, stderr: 'sudo: a password is required\n' }
          : undefined
      ),
      false
    )
    const failure = ensurePackages(
      { native: false, backtraces: false },
      recordingUi(),
      system
    )
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      /Installing qemu-user-static, binfmt-support needs root.*a password is required.*sudo apt-get install -y --no-install-recommends qemu-user-static binfmt-support/
    )
    expect(aptCalls(calls)).toEqual([['sudo', '-n', 'true']])
  })

  it('needs no sudo when nothing is missing', async () => {
    const { system, calls } = fakeSystem(dpkgAndApt(ALL), false)
    await ensurePackages(
      { native: false, backtraces: true },
      recordingUi(),
      system
    )
    expect(aptCalls(calls)).toEqual([])
  })

  it('rejects a host without dpkg-query', async () => {
    const { system } = fakeSystem(() => ({
      exitCode: null,
      spawnError: 'ENOENT'
    }))
    await expect(
      ensurePackages({ native: true, backtraces: false }, recordingUi(), system)
    ).rejects.toThrow(/dpkg-query could not start \(ENOENT\).*Debian or Ubuntu/)
  })
})

describe('queryInstalled on this machine', () => {
  it('finds dpkg and not an unknown name', async () => {
    const installed = await queryInstalled(defaultHostSystem(), [
      'dpkg',
      'rump-cross-no-such-package'
    ])
    expect(installed.has('dpkg')).toBe(true)
    expect(installed.has('rump-cross-no-such-package')).toBe(false)
  })
})

// A real apt-get against a copy of the dpkg database whose lock a helper
// process holds, so the machine's own lock is never touched.
const canLock =
  process.getuid?.() === 0 &&
  existsSync('/usr/bin/apt-get') &&
  existsSync('/usr/bin/python3') &&
  existsSync('/var/lib/dpkg/status')

describe('apt-get with a held dpkg lock', () => {
  ;(canLock ? it : it.skip)('gives up and names the lock', async () => {
    const admin = await mkdtemp(path.join(os.tmpdir(), 'rump-cross-dpkg-'))
    await copyFile('/var/lib/dpkg/status', path.join(admin, 'status'))
    const holder = spawn('python3', [
      '-c',
      'import fcntl, os, sys, time\n' +
        'for name in ("lock-frontend", "lock"):\n' +
        '    fd = os.open(os.path.join(sys.argv[1], name), os.O_RDWR | os.O_CREAT)\n' +
        '    fcntl.lockf(fd, fcntl.LOCK_EX)\n' +
        'print("locked", flush=True)\n' +
        'time.sleep(60)\n',
      admin
    ])
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve())
        holder.once('exit', code => reject(new Error(`holder exited ${code}`)))
      })
      const system: HostSystem = {
        ...fakeSystem(() => undefined).system,
        run: (command, args, options) => {
          if (command === 'dpkg-query') return Promise.resolve(result())
          const shortWait = args.map(arg =>
            arg === LOCK ? 'DPkg::Lock::Timeout=1' : arg
          )
          return runCommand(
            command,
            ['-o', `Dir::State::status=${admin}/status`, ...shortWait],
            options
          )
        }
      }
      const started = Date.now()
      await expect(
        ensurePackages(
          { native: true, backtraces: false },
          recordingUi(),
          system
        )
      ).rejects.toThrow(/could not get the dpkg lock .*lock-frontend/)
      expect(Date.now() - started).toBeLessThan(30_000)
    } finally {
      holder.kill()
      await rm(admin, { recursive: true, force: true })
    }
  })
})
