// Smoke test failures with real compilers and real programs. Nothing here
// changes the binfmt_misc state of the machine.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Arch, findArch } from '../src/arches.js'
import { UserError } from '../src/errors.js'
import { expectedSmokeOutput, runSmokeTest } from '../src/host/smoke.js'
import { defaultHostSystem } from '../src/host/system.js'
import type { Ui } from '../src/ui.js'

const PPC_GCC = '/usr/bin/powerpc-linux-gnu-gcc'
const QEMU_PPC = '/usr/bin/qemu-ppc-static'
const HOST_GCC = '/usr/bin/gcc'
const canCrossRun = existsSync(PPC_GCC) && existsSync(QEMU_PPC)
const powerpc = findArch('powerpc') as Arch
const x86_64 = findArch('x86_64') as Arch

function quietUi(): Ui & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: m => lines.push(m),
    debug: () => {},
    notice: () => {},
    warning: () => {},
    error: () => {},
    group: (_title, fn) => fn(),
    output: () => {},
    setOutput: () => {},
    addPath: () => {},
    appendSummary: async () => {}
  }
}

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rump-cross-smoke-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, `#!/bin/sh\n${body}`)
  await chmod(file, 0o755)
  return file
}

/**
 * A compiler wrapper that builds with `compiler`, then sets EI_PAD byte 15
 * of the program to 0x5a. qemu ignores that byte, but the Debian
 * binfmt_misc patterns require it to be zero, so no standard entry matches.
 */
function unmatchedCompiler(compiler: string): Promise<string> {
  return script(
    'cc-pad',
    `${compiler} "$@" || exit
out=; prev=
for arg; do [ "$prev" = -o ] && out=$arg; prev=$arg; done
printf '\\132' | dd of="$out" bs=1 seek=15 conv=notrunc 2>/dev/null
`
  )
}

describe('runSmokeTest', () => {
  it('names a compiler that fails', async () => {
    const cc = await script(
      'cc-broken',
      'echo "cc1: error: unknown target CPU" >&2; exit 1\n'
    )
    const failure = runSmokeTest(
      { arch: powerpc, cc, workDir: path.join(dir, 'work') },
      quietUi(),
      defaultHostSystem()
    )
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      /The compiler failed: .*cc-broken could not build .*exit code 1: cc1: error: unknown target CPU.*powerpc-linux-musl cross compiler/
    )
  })

  it('names a compiler that is missing', async () => {
    const cc = path.join(dir, 'no-such-gcc')
    await expect(
      runSmokeTest(
        { arch: powerpc, cc, workDir: path.join(dir, 'work') },
        quietUi(),
        defaultHostSystem()
      )
    ).rejects.toThrow(/The compiler failed: .*no-such-gcc .*ENOENT/)
  })

  it('writes the source into workDir', async () => {
    const cc = await script('cc-false', 'exit 1\n')
    const workDir = path.join(dir, 'new', 'work')
    await expect(
      runSmokeTest(
        { arch: powerpc, cc, workDir },
        quietUi(),
        defaultHostSystem()
      )
    ).rejects.toThrow(UserError)
    expect(await readFile(path.join(workDir, 'smoke.c'), 'utf8')).toContain(
      'rump-cross smoke test'
    )
  })

  ;(existsSync(HOST_GCC) ? it : it.skip)(
    'runs natively with the host compiler',
    async () => {
      const ui = quietUi()
      await runSmokeTest(
        { arch: x86_64, cc: HOST_GCC, workDir: dir },
        ui,
        defaultHostSystem()
      )
      expect(ui.lines.join('\n')).toContain(expectedSmokeOutput(x86_64))
    }
  )

  ;(existsSync(HOST_GCC) ? it : it.skip)(
    'blames the toolchain for a broken native program',
    async () => {
      const cc = await script(
        'cc-exit3',
        `out=; prev=
for arg; do [ "$prev" = -o ] && out=$arg; prev=$arg; done
echo 'int main(void) { return 3; }' | ${HOST_GCC} -static -x c -o "$out" -
`
      )
      await expect(
        runSmokeTest(
          { arch: x86_64, cc, workDir: dir },
          quietUi(),
          defaultHostSystem()
        )
      ).rejects.toThrow(
        /smoke program .* does not run on this host \(exit code 3\).*check the toolchain/
      )
    }
  )

  ;(canCrossRun ? it : it.skip)(
    'blames the registration on Exec format error',
    async () => {
      const cc = await unmatchedCompiler(PPC_GCC)
      const failure = runSmokeTest(
        { arch: powerpc, cc, workDir: dir, qemu: QEMU_PPC },
        quietUi(),
        defaultHostSystem()
      )
      await expect(failure).rejects.toThrow(UserError)
      await expect(failure).rejects.toThrow(
        /The binfmt_misc registration is broken: .* runs under \/usr\/bin\/qemu-ppc-static but not when started directly \(exit code 126: .*Exec format error\)\. Enabled entries matching it: none\. Re-register qemu-ppc/
      )
    }
  )

  ;(canCrossRun ? it : it.skip)(
    'blames the emulator when qemu fails too',
    async () => {
      const cc = await unmatchedCompiler(PPC_GCC)
      const qemu = await script(
        'qemu-broken',
        'echo "qemu: uncaught target signal 4 (Illegal instruction)" >&2\nexit 132\n'
      )
      await expect(
        runSmokeTest(
          { arch: powerpc, cc, workDir: dir, qemu },
          quietUi(),
          defaultHostSystem()
        )
      ).rejects.toThrow(
        /The emulator failed: .*Exec format error.*nor under .*qemu-broken \(exit code 132: qemu: uncaught target signal 4/
      )
    }
  )
})
