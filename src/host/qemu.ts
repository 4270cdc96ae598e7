// Finds the qemu-user emulator for a target and reads its version.
import type { Arch } from '../arches.js'
import { UserError } from '../errors.js'
import { describeFailure, findProgram, type HostSystem } from './system.js'

/**
 * Returns the path of `qemu-<target>-static`, or of `qemu-<target>` where
 * qemu-user is itself static (Debian 13, Ubuntu 25.10). Throws a UserError
 * when neither is installed.
 */
export async function findQemu(
  arch: Arch,
  system: HostSystem
): Promise<string> {
  const names = [`qemu-${arch.qemu}-static`, `qemu-${arch.qemu}`]
  const found = await findProgram(system, names)
  if (found !== undefined) return found
  throw new UserError(
    `No qemu-user emulator for ${arch.name} was found (looked for ` +
      `${names.join(' and ')} in ${system.searchPath.join(':')}). Install ` +
      'qemu-user-static (apt-get install -y --no-install-recommends ' +
      'qemu-user-static), or use a host where it is available.'
  )
}

/**
 * Returns the version that `qemu --version` prints on its first line, such
 * as `7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`.
 */
export async function readQemuVersion(
  qemu: string,
  system: HostSystem
): Promise<string> {
  const result = await system.run(qemu, ['--version'], { timeoutMs: 30_000 })
  const firstLine = result.stdout.split('\n')[0]?.trim() ?? ''
  if (result.exitCode !== 0 || firstLine === '') {
    throw new UserError(
      `The emulator ${qemu} does not run (${qemu} --version: ` +
        `${describeFailure(result)}). Reinstall qemu-user-static.`
    )
  }
  const match = /\bversion\s+(.+)$/.exec(firstLine)
  return match ? match[1] : firstLine
}
