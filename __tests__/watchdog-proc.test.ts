// The process table on a fake proc tree, ELF core notes on a synthetic core,
// and killTree on real host processes (no qemu needed).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { findArch, type Arch } from '../src/arches.js'
import {
  isQemuCommand,
  parseSignalReport,
  removeHostCores
} from '../src/watchdog/backtrace.js'
import { readCoreCommand, readElfHeader } from '../src/elf.js'
import { killTree } from '../src/watchdog/kill.js'
import {
  descendants,
  emulatedProcesses,
  hasRunMarker,
  listProcesses,
  parseStat,
  RUN_ID_VARIABLE,
  runProcesses
} from '../src/watchdog/proc.js'

const powerpc = findArch('powerpc') as Arch
const EM_PPC = 20
const EM_X86_64 = 62

function statLine(
  pid: number,
  comm: string,
  state: string,
  ppid: number,
  pgid: number,
  sid: number,
  startTicks = 1000
): string {
  // Fields 3..22 of proc(5); field 22 is starttime.
  const rest = [state, ppid, pgid, sid, 0, -1, 4194560, 0, 0, 0, 0, 0, 0, 0, 0]
  rest.push(20, 0, 1, 0, startTicks)
  return `${pid} (${comm}) ${rest.join(' ')} 0 0\n`
}

/** Writes a big-endian 32-bit ELF header for the given e_machine. */
function elfHeader32BE(machine: number): Buffer {
  const header = Buffer.alloc(52)
  header.writeUInt32BE(0x7f454c46, 0)
  header[4] = 1
  header[5] = 2
  header[6] = 1
  header.writeUInt16BE(2, 16)
  header.writeUInt16BE(machine, 18)
  return header
}

/**
 * Builds a minimal little-endian ELF64 core file with one NT_PRPSINFO note,
 * the way the kernel writes it on x86_64 (136-byte prpsinfo).
 */
function syntheticCore(name: string, args: string): Buffer {
  const header = Buffer.alloc(64)
  header.writeUInt32BE(0x7f454c46, 0)
  header[4] = 2
  header[5] = 1
  header[6] = 1
  header.writeUInt16LE(4, 16)
  header.writeUInt16LE(EM_X86_64, 18)
  header.writeBigUInt64LE(64n, 32)
  header.writeUInt16LE(64, 52)
  header.writeUInt16LE(56, 54)
  header.writeUInt16LE(1, 56)

  const desc = Buffer.alloc(136)
  desc.write(name, 136 - 96, 'latin1')
  desc.write(args, 136 - 80, 'latin1')
  const note = Buffer.alloc(12 + 8 + desc.length)
  note.writeUInt32LE(5, 0)
  note.writeUInt32LE(desc.length, 4)
  note.writeUInt32LE(3, 8)
  note.write('CORE', 12, 'latin1')
  desc.copy(note, 20)

  const program = Buffer.alloc(56)
  program.writeUInt32LE(4, 0)
  program.writeBigUInt64LE(BigInt(64 + 56), 8)
  program.writeBigUInt64LE(BigInt(note.length), 32)
  return Buffer.concat([header, program, note])
}

describe('process table on a fake proc root', () => {
  let root: string
  let procRoot: string
  let guestDir: string

  function addProcess(
    pid: number,
    stat: string,
    files: Record<string, string> = {}
  ) {
    const dir = join(procRoot, String(pid))
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'stat'), stat)
    for (const [name, content] of Object.entries(files))
      writeFileSync(join(dir, name), content)
    return dir
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'watchdog-proc-'))
    procRoot = join(root, 'proc')
    guestDir = join(root, 'tests', 'init')
    mkdirSync(guestDir, { recursive: true })
    writeFileSync(join(guestDir, 'init'), elfHeader32BE(EM_PPC))
    writeFileSync(join(guestDir, 'busmem'), 'not an ELF file')

    const binfmt = join(procRoot, 'sys/fs/binfmt_misc')
    mkdirSync(binfmt, { recursive: true })
    writeFileSync(
      join(binfmt, 'qemu-ppc'),
      'enabled\ninterpreter /opt/qemu/bin/qemu-ppc-wrapper\nflags: PF\n'
    )
    writeFileSync(join(procRoot, 'uptime'), '1234.56 100.00\n')

    const marker = `PATH=/bin\0${RUN_ID_VARIABLE}=run-1\0`
    const maps =
      `10000000-100b0000 r-xp 00000000 fe:00 1 ${join(guestDir, 'busmem')}\n` +
      `10001000-100b1000 r--p 00000000 fe:00 2 ${join(guestDir, 'init')}\n` +
      `7f0000000000-7f0000001000 r--p 00000000 00:00 0 [vvar]\n`

    addProcess(100, statLine(100, 'sh', 'S', 50, 100, 100))
    // Started through binfmt_misc with the P flag: interpreter, path, argv.
    const binfmtChild = addProcess(
      101,
      statLine(101, 'init', 'S', 100, 100, 100),
      {
        cmdline: '/usr/libexec/qemu-binfmt/ppc-binfmt-P\0./init\0./init\0-v\0',
        maps,
        environ: marker
      }
    )
    symlinkSync('/usr/bin/qemu-ppc-static', join(binfmtChild, 'exe'))
    symlinkSync(guestDir, join(binfmtChild, 'cwd'))

    const other = addProcess(
      102,
      statLine(102, 'qemu-ppc64', 'R', 101, 100, 100),
      {
        cmdline: 'qemu-ppc64-static\0./x\0'
      }
    )
    symlinkSync('/usr/bin/qemu-ppc64-static', join(other, 'exe'))

    // A group member whose parent exited, so init adopted it.
    addProcess(103, statLine(103, 'sleep', 'S', 1, 100, 100))

    // A daemon in its own session, found only by the run marker. Its exe is
    // the binfmt interpreter, and the package was upgraded since it started.
    const daemon = addProcess(
      104,
      statLine(104, 'rump_server', 'S', 1, 104, 104),
      {
        cmdline:
          '/opt/qemu/bin/qemu-ppc-wrapper\0/abs/rump_server\0unix://sock\0',
        environ: marker
      }
    )
    symlinkSync('/opt/qemu/bin/qemu-ppc-wrapper (deleted)', join(daemon, 'exe'))

    addProcess(105, statLine(105, 'bash', 'S', 1, 105, 105), {
      environ: `${RUN_ID_VARIABLE}=run-2\0`
    })
    addProcess(106, statLine(106, 'defunct', 'Z', 100, 100, 100))
    // A process that exited between readdir and the read of its stat.
    mkdirSync(join(procRoot, '107'))
    addProcess(108, statLine(108, 'a) (b', 'S', 101, 100, 100))
    writeFileSync(join(procRoot, 'self'), '')
  })

  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('parses stat with parentheses in comm', () => {
    const info = parseStat(statLine(7, 'we) (ird', 'R', 3, 4, 5, 99))
    expect(info).toEqual({
      pid: 7,
      comm: 'we) (ird',
      state: 'R',
      ppid: 3,
      pgid: 4,
      sid: 5,
      startTicks: 99
    })
  })

  it('skips a process that vanished mid-read', () => {
    const pids = listProcesses({ procRoot }).map(p => p.pid)
    expect(pids).toEqual([100, 101, 102, 103, 104, 105, 106, 108])
  })

  it('lists descendants through the parent links', () => {
    const pids = descendants(100, { procRoot }).map(p => p.pid)
    expect(pids.sort()).toEqual([101, 102, 106, 108])
  })

  it('finds run processes by group, session and marker', () => {
    const pids = runProcesses(100, 'run-1', { procRoot }).map(p => p.pid)
    expect(pids).toEqual([100, 101, 102, 103, 104, 108])
  })

  it('reads the run marker from environ', () => {
    expect(hasRunMarker(104, 'run-1', { procRoot })).toBe(true)
    expect(hasRunMarker(105, 'run-1', { procRoot })).toBe(false)
    expect(hasRunMarker(107, 'run-1', { procRoot })).toBe(false)
  })

  it('finds emulated descendants of the target qemu', () => {
    const found = emulatedProcesses(100, powerpc, { procRoot })
    expect(found.map(p => p.pid)).toEqual([101])
    expect(found[0].program).toBe(join(guestDir, 'init'))
    expect(found[0].cwd).toBe(guestDir)
    expect(found[0].exe).toBe('/usr/bin/qemu-ppc-static')
  })

  it('finds marked daemons run by the binfmt interpreter', () => {
    const found = emulatedProcesses(100, powerpc, { procRoot, runId: 'run-1' })
    expect(found.map(p => p.pid)).toEqual([101, 104])
    expect(found[1].exe).toBe('/opt/qemu/bin/qemu-ppc-wrapper')
    expect(found[1].program).toBe('/abs/rump_server')
  })

  it('tells qemu-ppc from qemu-ppc64', () => {
    const ppc64 = findArch('powerpc64') as Arch
    const found = emulatedProcesses(100, ppc64, { procRoot, runId: 'run-1' })
    expect(found.map(p => p.pid)).toEqual([102])
  })
})

describe('ELF and core files', () => {
  let dir: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'watchdog-elf-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads the machine of a big-endian binary', () => {
    writeFileSync(join(dir, 'prog'), elfHeader32BE(EM_PPC))
    expect(readElfHeader(join(dir, 'prog'))).toMatchObject({
      bits: 32,
      littleEndian: false,
      machine: EM_PPC
    })
  })

  it('returns nothing for a text file', () => {
    writeFileSync(
      join(dir, 'text'),
      'hello, this is not ELF at all, not at all'
    )
    expect(readElfHeader(join(dir, 'text'))).toBeUndefined()
    expect(readCoreCommand(join(dir, 'text'))).toBeUndefined()
  })

  it('reads the command from NT_PRPSINFO', () => {
    const args = '/usr/libexec/qemu-binfmt/ppc-binfmt-P ./init ./init'
    writeFileSync(join(dir, 'core'), syntheticCore('ppc-binfmt-P', args))
    const command = readCoreCommand(join(dir, 'core'))
    expect(command).toEqual({ name: 'ppc-binfmt-P', args })
    expect(isQemuCommand(command as NonNullable<typeof command>)).toBe(true)
  })

  it('deletes only host cores of qemu', async () => {
    const qemuCore = join(dir, 'core.4242')
    const otherCore = join(dir, 'core.4243')
    writeFileSync(
      qemuCore,
      syntheticCore('qemu-ppc-static', 'qemu-ppc-static ./x')
    )
    writeFileSync(otherCore, syntheticCore('nbmake', 'nbmake -j2'))
    writeFileSync(join(dir, 'qemu_init_20260101-000000_4242.core'), 'guest')

    const removed = await removeHostCores(dir, Date.now() - 60_000)

    expect(removed.sort()).toEqual([join(dir, 'core'), qemuCore])
    expect(readElfHeader(otherCore)).toBeDefined()
  })
})

describe('parseSignalReport', () => {
  it.each([
    [
      'qemu: uncaught target signal 11 (Segmentation fault) - core dumped',
      { description: 'Segmentation fault', signal: 11, source: 'qemu' }
    ],
    [
      'VFS test ... qemu: uncaught target signal 6 (Aborted) - core dumped',
      { description: 'Aborted', signal: 6, source: 'qemu' }
    ],
    ['Aborted (core dumped)', { description: 'Aborted', source: 'shell' }],
    ['Quit', { description: 'Quit', source: 'shell' }],
    [
      'bash: 18128 Segmentation fault      /tmp/wd/segv',
      { description: 'Segmentation fault', source: 'shell' }
    ],
    [
      './suite.sh: line 4:  2101 Bus error               (core dumped) ./init',
      { description: 'Bus error', source: 'shell' }
    ]
  ])('reads %j', (line, report) => {
    expect(parseSignalReport(line)).toEqual(report)
  })

  it.each([
    'Done',
    'Aborted transfer, retrying',
    '>> ERROR:',
    'test FAILURE: Segmentation fault handling'
  ])('ignores %j', line => {
    expect(parseSignalReport(line)).toBeUndefined()
  })
})

describe('killTree on host processes', () => {
  const running: ChildProcess[] = []

  afterAll(async () => {
    for (const child of running)
      if (child.pid !== undefined) await killTree(child.pid, 'SIGKILL')
  })

  /**
   * Starts a shell that leads its own group and leaves: a plain child, a
   * child that ignores SIGTERM, a setsid child and a double-forked setsid
   * daemon adopted by init. Resolves once all of them run.
   */
  async function startTree(runId: string): Promise<ChildProcess> {
    const script = [
      'sleep 60 &',
      `sh -c 'trap "" TERM; exec sleep 61' &`,
      `setsid sh -c 'sleep 62 & wait' &`,
      `(setsid sh -c 'exec sleep 63' &)`,
      'wait'
    ].join('\n')
    const child = spawn('sh', ['-c', script], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [RUN_ID_VARIABLE]: runId }
    })
    running.push(child)
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      const sleeps = runProcesses(child.pid as number, runId).filter(
        p => p.comm === 'sleep'
      )
      if (sleeps.length === 4) return child
      await sleep(50)
    }
    throw new Error('the process tree did not start within 10 s')
  }

  function leftovers(rootPid: number, runId: string) {
    return listProcesses().filter(
      p => p.state !== 'Z' && (p.pgid === rootPid || hasRunMarker(p.pid, runId))
    )
  }

  it('ends group, setsid children and marked daemons', async () => {
    const runId = randomUUID()
    const child = await startTree(runId)
    const rootPid = child.pid as number
    const before = runProcesses(rootPid, runId)

    const result = await killTree(rootPid, 'SIGTERM', { runId, graceMs: 500 })

    expect(result.remaining).toEqual([])
    expect(result.signalled.length).toBe(before.length)
    const stubborn = before.find(
      p => p.comm === 'sleep' && result.killed.includes(p.pid)
    )
    expect(stubborn).toBeDefined()
    expect(leftovers(rootPid, runId)).toEqual([])
  })

  it('misses adopted daemons without the run id', async () => {
    const runId = randomUUID()
    const child = await startTree(runId)
    const rootPid = child.pid as number

    await killTree(rootPid, 'SIGTERM', { graceMs: 500 })
    const left = leftovers(rootPid, runId)

    expect(left.map(p => p.comm)).toEqual(['sleep'])
    await killTree(rootPid, 'SIGKILL', { runId })
    expect(leftovers(rootPid, runId)).toEqual([])
  })
})
