import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Arch, ARCHES, findArch } from '../src/arches.js'
import { UserError } from '../src/errors.js'
import {
  ensureBinfmtEntry,
  ensureBinfmtMounted,
  findMatchingEntries,
  parseBinfmtEntry,
  runsNatively
} from '../src/host/binfmt.js'
import { prepareHost } from '../src/host/index.js'
import { BINFMT_PATTERNS, type QemuTarget } from '../src/host/magic.js'
import {
  type HostSystem,
  runCommand,
  type RunOptions,
  type RunResult
} from '../src/host/system.js'
import type { Ui } from '../src/ui.js'
import { makeElf } from './fixtures/binfmt/make-elf.js'

const FIXTURE = fileURLToPath(
  new URL('./fixtures/binfmt/debian12', import.meta.url)
)
const QEMU = '/usr/bin/qemu-ppc-static'
const powerpc = findArch('powerpc') as Arch

interface Call {
  command: string
  args: readonly string[]
  input?: string
}

function ok(fields: Partial<RunResult> = {}): RunResult {
  return {
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    ...fields
  }
}

function failed(stderr: string, exitCode = 1): RunResult {
  return ok({ exitCode, stderr })
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

/** Converts `\x7f\x45` register escapes to the hex the kernel shows. */
function escapesToHex(text: string): string {
  return text.replace(/\\x/g, '')
}

/**
 * A stand-in for the kernel side of binfmt_misc in a plain folder: writes
 * through `sudo -n tee` register, enable, disable and remove entries the way
 * the kernel does, and `mount` creates the status file.
 */
class FakeKernel {
  readonly calls: Call[] = []
  mountWorks = true
  importWorks = false
  writesWork = true

  constructor(readonly root: string) {}

  system(isRoot = false, hostArch = 'x86_64'): HostSystem {
    return {
      binfmtRoot: this.root,
      isRoot,
      hostArch,
      searchPath: [],
      run: (command, args, options) => this.run(command, args, options)
    }
  }

  private async run(
    command: string,
    args: readonly string[],
    options?: RunOptions
  ): Promise<RunResult> {
    this.calls.push({ command, args, input: options?.input })
    const argv = command === 'sudo' ? args.slice(1) : [command, ...args]
    switch (argv[0]) {
      case 'mount':
        if (!this.mountWorks) {
          return failed(
            'mount: /proc/sys/fs/binfmt_misc: permission denied.',
            32
          )
        }
        await writeFile(path.join(this.root, 'status'), 'enabled\n')
        return ok()
      case 'update-binfmts':
        if (!this.importWorks)
          return failed('update-binfmts: no such format', 2)
        await cp(path.join(FIXTURE, 'qemu-ppc'), path.join(this.root, argv[2]))
        return ok()
      case 'tee':
        if (!this.writesWork) return failed('tee: Permission denied')
        await this.write(argv[1], options?.input ?? '')
        return ok()
      default:
        return failed(`${argv[0]}: not faked`, 127)
    }
  }

  private async write(file: string, text: string): Promise<void> {
    if (path.basename(file) === 'register') {
      const [, name, , offset, magic, mask, interpreter, flags] =
        text.split(':')
      await writeFile(
        path.join(this.root, name),
        `enabled\ninterpreter ${interpreter}\nflags: ${flags}\n` +
          `offset ${offset || 0}\nmagic ${escapesToHex(magic)}\n` +
          `mask ${escapesToHex(mask)}\n`
      )
      return
    }
    const current = await readFile(file, 'utf8')
    if (text === '-1') return unlink(file)
    const state = text === '1' ? 'enabled' : 'disabled'
    await writeFile(file, current.replace(/^(enabled|disabled)/, state))
  }
}

let dir: string
let root: string
let staticInterpreter: string
let dynamicInterpreter: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rump-cross-binfmt-'))
  root = path.join(dir, 'binfmt_misc')
  await cp(FIXTURE, root, { recursive: true })
  staticInterpreter = path.join(dir, 'qemu-ppc-static')
  dynamicInterpreter = path.join(dir, 'qemu-ppc')
  const x86 = { bits: 64, endianness: 'little', machine: 62 } as const
  await writeFile(staticInterpreter, makeElf(x86))
  await writeFile(
    dynamicInterpreter,
    makeElf({ ...x86, interpreter: '/lib64/ld-linux-x86-64.so.2' })
  )
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Rewrites the fixture entry qemu-ppc. */
async function setEntry(fields: {
  enabled?: boolean
  interpreter?: string
  flags?: string
}): Promise<void> {
  const file = path.join(root, 'qemu-ppc')
  let text = await readFile(file, 'utf8')
  if (fields.enabled === false) text = text.replace('enabled', 'disabled')
  if (fields.interpreter !== undefined) {
    text = text.replace(
      /^interpreter .*$/m,
      `interpreter ${fields.interpreter}`
    )
  }
  if (fields.flags !== undefined) {
    text = text.replace(/^flags: .*$/m, `flags: ${fields.flags}`)
  }
  await writeFile(file, text)
}

function ppcHeader(): Buffer {
  return makeElf({ bits: 32, endianness: 'big', machine: 20 })
}

describe('parseBinfmtEntry', () => {
  it('reads the kernel text of qemu-ppc', () => {
    const text = readFileSync(path.join(FIXTURE, 'qemu-ppc'), 'utf8')
    const entry = parseBinfmtEntry('qemu-ppc', text)
    expect(entry.enabled).toBe(true)
    expect(entry.interpreter).toBe('/usr/libexec/qemu-binfmt/ppc-binfmt-P')
    expect(entry.flags).toBe('PF')
    expect(entry.offset).toBe(0)
    expect(entry.magic.toString('hex')).toBe(
      escapesToHex(BINFMT_PATTERNS.ppc.magic)
    )
    expect(entry.mask?.toString('hex')).toBe(
      escapesToHex(BINFMT_PATTERNS.ppc.mask)
    )
  })

  it('reads a disabled entry without flags', () => {
    const entry = parseBinfmtEntry(
      'x',
      'disabled\ninterpreter /usr/bin/x\nflags: \noffset 0\nmagic 41\n'
    )
    expect(entry.enabled).toBe(false)
    expect(entry.flags).toBe('')
    expect(entry.mask).toBeUndefined()
  })
})

describe('runsNatively', () => {
  const cases: [string, string, boolean][] = [
    ['x86_64', 'x86_64', true],
    ['x86_64', 'i686', true],
    ['x86_64', 'powerpc', false],
    ['x86_64', 'aarch64', false],
    ['aarch64', 'aarch64', true],
    ['aarch64', 'x86_64', false],
    ['aarch64', 'armhf', false],
    ['riscv64', 'riscv64', true],
    ['mystery', 'x86_64', false]
  ]
  it.each(cases)('on %s host, %s native: %s', (host, name, native) => {
    expect(runsNatively(findArch(name) as Arch, host)).toBe(native)
  })
})

describe('BINFMT_PATTERNS', () => {
  it.each(Object.keys(BINFMT_PATTERNS))('%s fits its ELF header', qemu => {
    const pattern = BINFMT_PATTERNS[qemu as QemuTarget]
    const arch = ARCHES.find(a => a.qemu === qemu) as Arch
    const magic = Buffer.from(escapesToHex(pattern.magic), 'hex')
    const mask = Buffer.from(escapesToHex(pattern.mask), 'hex')
    expect(magic.length).toBe(mask.length)
    expect(magic.subarray(0, 4).toString('latin1')).toBe('\x7fELF')
    expect(magic[4]).toBe(arch.bits === 64 ? 2 : 1)
    expect(magic[5]).toBe(arch.endianness === 'big' ? 2 : 1)
    const machine =
      arch.endianness === 'big'
        ? magic.readUInt16BE(18)
        : magic.readUInt16LE(18)
    expect(machine).toBe(arch.elfMachine)
  })

  const installed = Object.keys(BINFMT_PATTERNS).filter(q =>
    existsSync(`/usr/lib/binfmt.d/qemu-${q}.conf`)
  )
  ;(installed.length > 0 ? it.each(installed) : it.skip.each(['none']))(
    '%s equals the installed binfmt.d file',
    qemu => {
      const line = readFileSync(`/usr/lib/binfmt.d/qemu-${qemu}.conf`, 'utf8')
      const fields = line.trim().split(':')
      const pattern = BINFMT_PATTERNS[qemu as QemuTarget]
      expect(fields[4]).toBe(pattern.magic)
      expect(fields[5]).toBe(pattern.mask)
    }
  )
})

describe('findMatchingEntries', () => {
  it('matches a powerpc program', async () => {
    const entries = await findMatchingEntries(root, ppcHeader())
    expect(entries.map(e => e.name)).toEqual(['qemu-ppc'])
  })

  it('ignores an x86-64 program', async () => {
    const header = makeElf({ bits: 64, endianness: 'little', machine: 62 })
    expect(await findMatchingEntries(root, header)).toEqual([])
  })

  it('ignores a disabled entry', async () => {
    await setEntry({ enabled: false })
    expect(await findMatchingEntries(root, ppcHeader())).toEqual([])
  })
})

describe('ensureBinfmtMounted', () => {
  it('does nothing when the status file exists', async () => {
    const kernel = new FakeKernel(root)
    await ensureBinfmtMounted(recordingUi(), kernel.system(true))
    expect(kernel.calls).toEqual([])
  })

  it('mounts binfmt_misc when not mounted', async () => {
    await rm(path.join(root, 'status'))
    const kernel = new FakeKernel(root)
    await ensureBinfmtMounted(recordingUi(), kernel.system(true))
    expect(kernel.calls).toEqual([
      {
        command: 'mount',
        args: ['-t', 'binfmt_misc', 'binfmt_misc', root],
        input: undefined
      }
    ])
  })

  it('mounts through sudo -n when not root', async () => {
    await rm(path.join(root, 'status'))
    const kernel = new FakeKernel(root)
    await ensureBinfmtMounted(recordingUi(), kernel.system(false))
    expect(kernel.calls[0].command).toBe('sudo')
    expect(kernel.calls[0].args).toEqual([
      '-n',
      'mount',
      '-t',
      'binfmt_misc',
      'binfmt_misc',
      root
    ])
  })

  it('blames an unprivileged container', async () => {
    await rm(path.join(root, 'status'))
    const kernel = new FakeKernel(root)
    kernel.mountWorks = false
    const failure = ensureBinfmtMounted(recordingUi(), kernel.system(true))
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      /not mounted at .* and mounting it failed .*permission denied.*unprivileged container.*--privileged/
    )
  })

  it('switches binfmt_misc back on', async () => {
    await writeFile(path.join(root, 'status'), 'disabled\n')
    const kernel = new FakeKernel(root)
    const ui = recordingUi()
    await ensureBinfmtMounted(ui, kernel.system(true))
    expect(await readFile(path.join(root, 'status'), 'utf8')).toBe('1')
    expect(ui.warnings.join('\n')).toContain('switched off')
  })
})

describe('ensureBinfmtEntry', () => {
  it('accepts an enabled static PF entry', async () => {
    await setEntry({ interpreter: staticInterpreter })
    const kernel = new FakeKernel(root)
    const ui = recordingUi()
    const status = await ensureBinfmtEntry(powerpc, QEMU, ui, kernel.system())
    expect(status.entry.flags).toBe('PF')
    expect(status.entry.interpreter).toBe(staticInterpreter)
    expect(status.interpreterStatic).toBe(true)
    expect(kernel.calls).toEqual([])
    expect(ui.warnings).toEqual([])
  })

  it('warns about a dynamic PO entry', async () => {
    await setEntry({ interpreter: dynamicInterpreter, flags: 'PO' })
    const ui = recordingUi()
    const status = await ensureBinfmtEntry(
      powerpc,
      QEMU,
      ui,
      new FakeKernel(root).system()
    )
    expect(status.interpreterStatic).toBe(false)
    expect(ui.warnings).toHaveLength(1)
    expect(ui.warnings[0]).toMatch(
      /qemu-ppc uses the dynamically linked interpreter .* without the F flag.*chroot/
    )
  })

  it('accepts a dynamic interpreter with F', async () => {
    await setEntry({ interpreter: dynamicInterpreter, flags: 'F' })
    const ui = recordingUi()
    const status = await ensureBinfmtEntry(
      powerpc,
      QEMU,
      ui,
      new FakeKernel(root).system()
    )
    expect(status.interpreterStatic).toBe(false)
    expect(ui.warnings).toEqual([])
  })

  it('enables a disabled entry', async () => {
    await setEntry({ enabled: false, interpreter: staticInterpreter })
    const kernel = new FakeKernel(root)
    const status = await ensureBinfmtEntry(
      powerpc,
      QEMU,
      recordingUi(),
      kernel.system()
    )
    expect(status.entry.enabled).toBe(true)
    expect(kernel.calls).toEqual([
      {
        command: 'sudo',
        args: ['-n', 'tee', path.join(root, 'qemu-ppc')],
        input: '1'
      }
    ])
  })

  it('names the entry when enabling fails', async () => {
    await setEntry({ enabled: false, interpreter: staticInterpreter })
    const kernel = new FakeKernel(root)
    kernel.writesWork = false
    const failure = ensureBinfmtEntry(
      powerpc,
      QEMU,
      recordingUi(),
      kernel.system()
    )
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      /entry qemu-ppc is disabled and enabling it failed \(.*Permission denied\).*echo 1 > .*qemu-ppc/
    )
  })

  it('fails when the entry stays disabled', async () => {
    await setEntry({ enabled: false, interpreter: staticInterpreter })
    // As root the write goes to the fixture file, which no kernel reads.
    const failure = ensureBinfmtEntry(
      powerpc,
      QEMU,
      recordingUi(),
      new FakeKernel(root).system(true)
    )
    await expect(failure).rejects.toThrow(
      /qemu-ppc is disabled .*stayed disabled/
    )
  })

  it('imports a missing entry with update-binfmts', async () => {
    await rm(path.join(root, 'qemu-ppc'))
    const kernel = new FakeKernel(root)
    kernel.importWorks = true
    const status = await ensureBinfmtEntry(
      powerpc,
      QEMU,
      recordingUi(),
      kernel.system()
    )
    expect(status.entry.interpreter).toBe(
      '/usr/libexec/qemu-binfmt/ppc-binfmt-P'
    )
    expect(kernel.calls).toEqual([
      {
        command: 'sudo',
        args: ['-n', 'update-binfmts', '--import', 'qemu-ppc'],
        input: undefined
      }
    ])
  })

  it('registers a missing entry from the table', async () => {
    await rm(path.join(root, 'qemu-ppc'))
    const kernel = new FakeKernel(root)
    const status = await ensureBinfmtEntry(
      powerpc,
      staticInterpreter,
      recordingUi(),
      kernel.system()
    )
    const { magic, mask } = BINFMT_PATTERNS.ppc
    expect(kernel.calls[1]).toEqual({
      command: 'sudo',
      args: ['-n', 'tee', path.join(root, 'register')],
      input: `:qemu-ppc:M::${magic}:${mask}:${staticInterpreter}:F`
    })
    expect(status.entry.flags).toBe('F')
    expect(status.entry.interpreter).toBe(staticInterpreter)
    expect(status.interpreterStatic).toBe(true)
    const fixture = parseBinfmtEntry(
      'qemu-ppc',
      readFileSync(path.join(FIXTURE, 'qemu-ppc'), 'utf8')
    )
    expect(status.entry.magic).toEqual(fixture.magic)
    expect(status.entry.mask).toEqual(fixture.mask)
  })

  it('names the register line when registering fails', async () => {
    await rm(path.join(root, 'qemu-ppc'))
    const kernel = new FakeKernel(root)
    kernel.writesWork = false
    const failure = ensureBinfmtEntry(
      powerpc,
      QEMU,
      recordingUi(),
      kernel.system()
    )
    await expect(failure).rejects.toThrow(
      /Registering the binfmt_misc entry qemu-ppc failed \(.*Permission denied\).*echo ':qemu-ppc:M::.*:F' > .*register/
    )
  })

  it('rejects a missing interpreter without F', async () => {
    await setEntry({ interpreter: path.join(dir, 'gone'), flags: 'P' })
    const failure = ensureBinfmtEntry(
      powerpc,
      QEMU,
      recordingUi(),
      new FakeKernel(root).system()
    )
    await expect(failure).rejects.toThrow(
      /entry qemu-ppc names the interpreter .*gone, which cannot be read.*echo -1 > .*qemu-ppc/
    )
  })

  it('accepts a missing interpreter with F', async () => {
    await setEntry({ interpreter: path.join(dir, 'gone'), flags: 'PF' })
    const status = await ensureBinfmtEntry(
      powerpc,
      QEMU,
      recordingUi(),
      new FakeKernel(root).system()
    )
    expect(status.interpreterStatic).toBeUndefined()
  })
})

describe('prepareHost on a native target', () => {
  const hasGcc = existsSync('/usr/bin/gcc')
  ;(hasGcc ? it : it.skip)('skips qemu and binfmt_misc', async () => {
    const calls: string[] = []
    const system: HostSystem = {
      binfmtRoot: path.join(dir, 'no-binfmt_misc'),
      isRoot: true,
      hostArch: 'x86_64',
      searchPath: [],
      async run(command, args, options) {
        calls.push(command)
        if (command === 'dpkg-query') {
          return ok({ stdout: 'zlib1g-dev\tinstall ok installed\n' })
        }
        return runCommand(command, args, options)
      }
    }
    const info = await prepareHost(
      {
        arch: findArch('x86_64') as Arch,
        cc: '/usr/bin/gcc',
        backtraces: false,
        workDir: path.join(dir, 'work')
      },
      recordingUi(),
      system
    )
    expect(info).toEqual({
      qemuVersion: '',
      qemuBinary: '',
      native: true,
      installed: []
    })
    expect(calls).toEqual(['dpkg-query', '/usr/bin/gcc', 'bash'])
  })
})
