// The host step: packages, emulator, binfmt_misc and a smoke test, so that a
// broken setup fails in seconds instead of after a long build.
import type { Arch } from '../arches.js'
import { formatDuration } from '../duration.js'
import type { Ui } from '../ui.js'
import {
  ensureBinfmtEntry,
  ensureBinfmtMounted,
  runsNatively
} from './binfmt.js'
import { ensurePackages } from './packages.js'
import { findQemu, readQemuVersion } from './qemu.js'
import { runSmokeTest } from './smoke.js'
import { defaultHostSystem, type HostSystem } from './system.js'

export type { HostSystem, RunOptions, RunResult } from './system.js'
export { defaultHostSystem, runCommand } from './system.js'

export interface HostRequest {
  readonly arch: Arch
  /** The musl cross C compiler. */
  readonly cc: string
  readonly backtraces: boolean
  /** Folder for the smoke test program. */
  readonly workDir: string
}

export interface HostInfo {
  /** Version from `qemu --version`; empty when the target runs natively. */
  qemuVersion: string
  /** Path of the qemu-user emulator; empty when the target runs natively. */
  qemuBinary: string
  /** Interpreter of the binfmt_misc entry; absent when native. */
  interpreter?: string
  /** Flag letters of the binfmt_misc entry, such as `PF`. */
  binfmtFlags?: string
  /** Whether the interpreter is statically linked; absent when unknown. */
  interpreterStatic?: boolean
  native: boolean
  /** Packages this step installed. */
  installed: string[]
}

/**
 * Prepares the host to build for and run programs of `request.arch`:
 * installs missing packages, makes binfmt_misc hand the target's programs to
 * qemu, and runs a static test program built with `request.cc`. Throws a
 * UserError that names the broken part and the fix.
 */
export async function prepareHost(
  request: HostRequest,
  ui: Ui,
  system: HostSystem = defaultHostSystem()
): Promise<HostInfo> {
  const started = Date.now()
  const { arch } = request
  const native = runsNatively(arch, system.hostArch)
  ui.info(
    native
      ? `${arch.name} programs run natively on this ${system.hostArch} host`
      : `${arch.name} programs run under qemu-${arch.qemu} on this ` +
          `${system.hostArch} host`
  )

  const installed = await ensurePackages(
    { native, backtraces: request.backtraces },
    ui,
    system
  )
  if (native) {
    await runSmokeTest(request, ui, system)
    ui.info(`Host ready in ${formatDuration(Date.now() - started)}`)
    return { qemuVersion: '', qemuBinary: '', native, installed }
  }

  const qemuBinary = await findQemu(arch, system)
  const qemuVersion = await readQemuVersion(qemuBinary, system)
  ui.info(`Emulator: ${qemuBinary}, version ${qemuVersion}`)
  await ensureBinfmtMounted(ui, system)
  const binfmt = await ensureBinfmtEntry(arch, qemuBinary, ui, system)
  await runSmokeTest({ ...request, qemu: qemuBinary }, ui, system)
  ui.info(`Host ready in ${formatDuration(Date.now() - started)}`)
  return {
    qemuVersion,
    qemuBinary,
    interpreter: binfmt.entry.interpreter,
    binfmtFlags: binfmt.entry.flags,
    interpreterStatic: binfmt.interpreterStatic,
    native,
    installed
  }
}
