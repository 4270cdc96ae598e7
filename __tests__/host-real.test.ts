// prepareHost against the real binfmt_misc of this machine, with real
// powerpc programs run by qemu-ppc-static. Each test restores the qemu-ppc
// entry and the mount as it found them. Runs only as root with
// powerpc-linux-gnu-gcc and qemu-user-static installed.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Arch, findArch } from '../src/arches.js'
import { UserError } from '../src/errors.js'
import { type BinfmtEntry, readBinfmtEntry } from '../src/host/binfmt.js'
import { prepareHost } from '../src/host/index.js'
import { BINFMT_PATTERNS } from '../src/host/magic.js'
import {
  defaultHostSystem,
  type HostSystem,
  runCommand
} from '../src/host/system.js'
import type { Ui } from '../src/ui.js'

const ROOT = '/proc/sys/fs/binfmt_misc'
const ENTRY = 'qemu-ppc'
const TEST_ENTRY = 'rump-cross-test'
const PPC_GCC = '/usr/bin/powerpc-linux-gnu-gcc'
const QEMU_PPC = '/usr/bin/qemu-ppc-static'
const HOST_GCC = '/usr/bin/gcc'
const canRun =
  process.getuid?.() === 0 && existsSync(PPC_GCC) && existsSync(QEMU_PPC)
const powerpc = findArch('powerpc') as Arch

interface Snapshot {
  mounted: boolean
  entry?: BinfmtEntry
}

function escapes(bytes: Buffer): string {
  return [...bytes].map(b => `\\x${b.toString(16).padStart(2, '0')}`).join('')
}

/** Returns the register line that recreates an entry as it was. */
function registerLine(entry: BinfmtEntry): string {
  const mask = entry.mask ? escapes(entry.mask) : ''
  return (
    `:${entry.name}:M:${entry.offset}:${escapes(entry.magic)}:${mask}:` +
    `${entry.interpreter}:${entry.flags}`
  )
}

function isMounted(): boolean {
  return existsSync(path.join(ROOT, 'status'))
}

async function mount(): Promise<void> {
  if (isMounted()) return
  const result = await runCommand('mount', [
    '-t',
    'binfmt_misc',
    'binfmt_misc',
    ROOT
  ])
  expect(result.exitCode).toBe(0)
}

async function takeSnapshot(): Promise<Snapshot> {
  const mounted = isMounted()
  return {
    mounted,
    entry: mounted ? await readBinfmtEntry(ROOT, ENTRY) : undefined
  }
}

async function restore(snapshot: Snapshot): Promise<void> {
  if (isMounted()) {
    if (existsSync(path.join(ROOT, TEST_ENTRY))) {
      await writeFile(path.join(ROOT, TEST_ENTRY), '-1')
    }
    const now = await readBinfmtEntry(ROOT, ENTRY)
    const before = snapshot.entry
    const same =
      now !== undefined &&
      before !== undefined &&
      registerLine(now) === registerLine(before)
    if (now !== undefined && !same) {
      await writeFile(path.join(ROOT, ENTRY), '-1')
    }
    if (before !== undefined) {
      if (!same) {
        await writeFile(path.join(ROOT, 'register'), registerLine(before))
      }
      await writeFile(path.join(ROOT, ENTRY), before.enabled ? '1' : '0')
    }
  }
  if (!snapshot.mounted && isMounted()) {
    await runCommand('umount', [ROOT])
  }
}

/** Makes sure qemu-ppc is registered, as the qemu-user-static package does. */
async function registerQemuPpc(): Promise<void> {
  await mount()
  if (existsSync(path.join(ROOT, ENTRY))) return
  const { magic, mask } = BINFMT_PATTERNS.ppc
  await writeFile(
    path.join(ROOT, 'register'),
    `:${ENTRY}:M::${magic}:${mask}:${QEMU_PPC}:F`
  )
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

let dir: string
let snapshot: Snapshot

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rump-cross-real-'))
  snapshot = await takeSnapshot()
})

afterEach(async () => {
  await restore(snapshot)
  await rm(dir, { recursive: true, force: true })
})

function request(cc: string) {
  return { arch: powerpc, cc, backtraces: true, workDir: dir }
}

;(canRun ? describe : describe.skip)('prepareHost on this machine', () => {
  it('enables a disabled qemu-ppc entry', async () => {
    await registerQemuPpc()
    await writeFile(path.join(ROOT, ENTRY), '0')
    expect((await readBinfmtEntry(ROOT, ENTRY))?.enabled).toBe(false)

    const ui = recordingUi()
    const info = await prepareHost(request(PPC_GCC), ui)

    expect((await readBinfmtEntry(ROOT, ENTRY))?.enabled).toBe(true)
    expect(info.native).toBe(false)
    expect(info.qemuBinary).toBe(QEMU_PPC)
    expect(info.qemuVersion).toMatch(/^\d+\.\d+/)
    expect(info.binfmtFlags).toContain('F')
    expect(info.interpreterStatic).toBe(true)
    expect(info.installed).toEqual([])
    expect(ui.lines.join('\n')).toContain(
      'entry qemu-ppc is disabled; enabling it'
    )
    expect(ui.lines.join('\n')).toContain(
      'Smoke test passed: smoke printed "rump-cross smoke test: big-endian 32-bit"'
    )
    expect(ui.warnings).toEqual([])
  })

  it('registers a missing qemu-ppc from the table', async () => {
    await mount()
    if (existsSync(path.join(ROOT, ENTRY))) {
      await writeFile(path.join(ROOT, ENTRY), '-1')
    }
    // Without update-binfmts the entry has to come from BINFMT_PATTERNS.
    const system: HostSystem = {
      ...defaultHostSystem(),
      run: (command, args, options) =>
        command === 'update-binfmts'
          ? runCommand('false', [])
          : runCommand(command, args, options)
    }

    const info = await prepareHost(request(PPC_GCC), recordingUi(), system)

    expect(info.interpreter).toBe(QEMU_PPC)
    expect(info.binfmtFlags).toBe('F')
    expect(info.interpreterStatic).toBe(true)
  })

  it('names a registration that catches the program', async () => {
    await registerQemuPpc()
    await writeFile(path.join(ROOT, ENTRY), '1')
    // The test entry catches only powerpc programs whose EI_PAD byte 15 is
    // 0x5b, which the wrapper below writes and which qemu-ppc rejects.
    const { magic, mask } = BINFMT_PATTERNS.ppc
    const testMagic = magic.replace(/^((?:\\x[0-9a-f]{2}){15})\\x00/, '$1\\x5b')
    expect(testMagic).not.toBe(magic)
    await writeFile(
      path.join(ROOT, 'register'),
      `:${TEST_ENTRY}:M::${testMagic}:${mask}:/nonexistent/rump-cross-qemu:`
    )
    const cc = path.join(dir, 'cc-pad')
    await writeFile(
      cc,
      `#!/bin/sh
${PPC_GCC} "$@" || exit
out=; prev=
for arg; do [ "$prev" = -o ] && out=$arg; prev=$arg; done
printf '\\133' | dd of="$out" bs=1 seek=15 conv=notrunc 2>/dev/null
`
    )
    await chmod(cc, 0o755)

    const started = Date.now()
    const failure = prepareHost(request(cc), recordingUi())
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      /The binfmt_misc registration is broken: .* runs under \/usr\/bin\/qemu-ppc-static but not when started directly \(exit code 127: required file not found\)\. Enabled entries matching it: rump-cross-test \(interpreter \/nonexistent\/rump-cross-qemu\)\. Remove the entries that catch the program before qemu-ppc \(echo -1 > \/proc\/sys\/fs\/binfmt_misc\/rump-cross-test\)/
    )
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  ;(existsSync(HOST_GCC) ? it : it.skip)(
    'names a compiler for the wrong machine',
    async () => {
      await registerQemuPpc()
      const failure = prepareHost(request(HOST_GCC), recordingUi())
      await expect(failure).rejects.toThrow(UserError)
      await expect(failure).rejects.toThrow(
        'The compiler builds for the wrong target: /usr/bin/gcc produced ' +
          'x86-64 (e_machine 62), 64-bit little-endian, but powerpc needs ' +
          'PowerPC (e_machine 20), 32-bit big-endian.'
      )
    }
  )
})
