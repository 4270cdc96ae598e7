// Makes sure the kernel hands programs of the target to qemu: binfmt_misc
// mounted, the target's entry present and enabled, and an interpreter that
// will work.
import { access, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Arch } from '../arches.js'
import { errorMessage, UserError } from '../errors.js'
import type { Ui } from '../ui.js'
import { readElf } from './elf.js'
import { findBinfmtPattern } from './magic.js'
import {
  describeFailure,
  type HostSystem,
  runAsRoot,
  writeAsRoot
} from './system.js'

export interface BinfmtEntry {
  readonly name: string
  readonly enabled: boolean
  readonly interpreter: string
  /**
   * Flag letters such as `PF`. With `F` the kernel opened the interpreter
   * at registration, so it works in a chroot or another mount namespace.
   */
  readonly flags: string
  readonly offset: number
  /** Bytes to match; empty for entries that match a file name extension. */
  readonly magic: Buffer
  readonly mask?: Buffer
}

export interface BinfmtStatus {
  readonly entry: BinfmtEntry
  /** Whether the interpreter has no PT_INTERP; undefined when unreadable. */
  readonly interpreterStatic?: boolean
}

// Targets each host CPU (as `uname -m` names it) runs without emulation.
// 32-bit arm on an arm64 host always goes through qemu, because many arm64
// CPUs cannot run AArch32 code.
// NOTE: i386 on x86_64 assumes a kernel with IA32 emulation. Without it the
// smoke test fails and blames the toolchain.
const NATIVE_TARGETS: Readonly<Record<string, readonly string[]>> = {
  x86_64: ['x86_64', 'i386'],
  amd64: ['x86_64', 'i386'],
  aarch64: ['aarch64'],
  arm64: ['aarch64'],
  i386: ['i386'],
  i486: ['i386'],
  i586: ['i386'],
  i686: ['i386'],
  armv7l: ['arm'],
  riscv64: ['riscv64'],
  s390x: ['s390x'],
  ppc: ['ppc'],
  ppc64: ['ppc64']
}

/** Returns whether the host runs programs of `arch` without qemu. */
export function runsNatively(arch: Arch, hostArch: string): boolean {
  return NATIVE_TARGETS[hostArch]?.includes(arch.qemu) ?? false
}

/** Parses the text the kernel shows in `<binfmt_misc>/<name>`. */
export function parseBinfmtEntry(name: string, text: string): BinfmtEntry {
  const lines = text.split('\n')
  const field = (key: string): string | undefined => {
    const line = lines.find(l => l.startsWith(`${key} `) || l === key)
    return line?.slice(key.length).trim()
  }
  const hex = (value: string | undefined): Buffer | undefined =>
    value === undefined ? undefined : Buffer.from(value, 'hex')
  return {
    name,
    enabled: lines[0]?.trim() === 'enabled',
    interpreter: field('interpreter') ?? '',
    flags: field('flags:') ?? '',
    offset: Number(field('offset') ?? 0),
    magic: hex(field('magic')) ?? Buffer.alloc(0),
    mask: hex(field('mask'))
  }
}

/** Reads one entry; returns undefined when it is not registered. */
export async function readBinfmtEntry(
  root: string,
  name: string
): Promise<BinfmtEntry | undefined> {
  try {
    return parseBinfmtEntry(name, await readFile(path.join(root, name), 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Returns the enabled entries whose magic matches the start of a program. */
export async function findMatchingEntries(
  root: string,
  header: Buffer
): Promise<BinfmtEntry[]> {
  const names = (await readdir(root)).filter(
    name => name !== 'register' && name !== 'status'
  )
  const entries = await Promise.all(
    names.map(name => readBinfmtEntry(root, name))
  )
  return entries.filter(
    (entry): entry is BinfmtEntry =>
      entry !== undefined && entry.enabled && magicMatches(entry, header)
  )
}

function magicMatches(entry: BinfmtEntry, header: Buffer): boolean {
  if (entry.magic.length === 0) return false
  for (let i = 0; i < entry.magic.length; i++) {
    const byte = header[entry.offset + i]
    if (byte === undefined) return false
    const mask = entry.mask?.[i] ?? 0xff
    if ((byte & mask) !== entry.magic[i]) return false
  }
  return true
}

/**
 * Mounts binfmt_misc at the system's binfmt root unless its `status` file is
 * already there, and turns binfmt_misc on when it was switched off.
 */
export async function ensureBinfmtMounted(
  ui: Ui,
  system: HostSystem
): Promise<void> {
  const root = system.binfmtRoot
  const statusFile = path.join(root, 'status')
  if (!(await exists(statusFile))) {
    ui.info(`binfmt_misc is not mounted at ${root}; mounting it`)
    const args = ['-t', 'binfmt_misc', 'binfmt_misc', root]
    const result = await runAsRoot(system, 'mount', args)
    if (result.exitCode !== 0 || !(await exists(statusFile))) {
      throw new UserError(
        `binfmt_misc is not mounted at ${root} and mounting it failed ` +
          `(mount ${args.join(' ')}: ${describeFailure(result)}). The job ` +
          'probably runs in an unprivileged container: start the container ' +
          'with --privileged (in a workflow, container options: ' +
          '--privileged) or run the job directly on the runner.'
      )
    }
  }

  const status = (await readFile(statusFile, 'utf8')).trim()
  if (status === 'disabled') {
    ui.warning(`binfmt_misc is switched off (${statusFile}); switching it on`)
    const error = await writeAsRoot(system, statusFile, '1')
    if (error !== undefined) {
      throw new UserError(
        `binfmt_misc is switched off and writing 1 to ${statusFile} ` +
          `failed (${error}). Switch it on as root ` +
          `(echo 1 > ${statusFile}) and run again.`
      )
    }
  }
}

/**
 * Makes sure the entry `qemu-<target>` is registered and enabled, and checks
 * that its interpreter can start. Throws a UserError naming the entry and the
 * fix when it cannot be repaired.
 */
export async function ensureBinfmtEntry(
  arch: Arch,
  qemu: string,
  ui: Ui,
  system: HostSystem
): Promise<BinfmtStatus> {
  const name = `qemu-${arch.qemu}`
  const root = system.binfmtRoot
  let entry = await readBinfmtEntry(root, name)
  if (entry === undefined) {
    ui.info(`binfmt_misc has no ${name} entry; registering it`)
    entry = await registerEntry(arch, name, qemu, ui, system)
  } else if (!entry.enabled) {
    ui.info(`binfmt_misc entry ${name} is disabled; enabling it`)
    entry = await enableEntry(name, ui, system)
  }

  ui.info(
    `binfmt_misc entry ${name}: enabled, interpreter ${entry.interpreter}, ` +
      `flags ${entry.flags === '' ? '(none)' : entry.flags}`
  )
  return {
    entry,
    interpreterStatic: await checkInterpreter(entry, root, ui)
  }
}

async function registerEntry(
  arch: Arch,
  name: string,
  qemu: string,
  ui: Ui,
  system: HostSystem
): Promise<BinfmtEntry> {
  const root = system.binfmtRoot
  // Debian's way first: the format file that the qemu package installed.
  const imported = await runAsRoot(system, 'update-binfmts', ['--import', name])
  const entry = await readBinfmtEntry(root, name)
  if (entry !== undefined) {
    return entry.enabled ? entry : enableEntry(name, ui, system)
  }
  ui.debug(`update-binfmts --import ${name}: ${describeFailure(imported)}`)

  const pattern = findBinfmtPattern(arch.qemu)
  if (pattern === undefined) {
    throw new UserError(
      `binfmt_misc has no ${name} entry and rump-cross has no pattern to ` +
        `register one for ${arch.name}. Register ${qemu} for it by hand ` +
        `(see ${root}/register), or install qemu-user-binfmt.`
    )
  }
  const line = `:${name}:M::${pattern.magic}:${pattern.mask}:${qemu}:F`
  ui.info(`Registering ${name} with interpreter ${qemu} and flags F`)
  const error = await writeAsRoot(system, path.join(root, 'register'), line)
  const registered = await readBinfmtEntry(root, name)
  if (registered?.enabled) return registered
  throw new UserError(
    `Registering the binfmt_misc entry ${name} failed ` +
      `(${error ?? 'the entry did not appear'}). Register it as root: ` +
      `echo '${line}' > ${root}/register`
  )
}

async function enableEntry(
  name: string,
  ui: Ui,
  system: HostSystem
): Promise<BinfmtEntry> {
  const file = path.join(system.binfmtRoot, name)
  // Writing 1 to the entry is the kernel's switch. update-binfmts --enable
  // would not do: binfmt-support 2.2.2 reports "already enabled in kernel"
  // for a disabled entry and leaves it disabled.
  const error = await writeAsRoot(system, file, '1')
  const entry = await readBinfmtEntry(system.binfmtRoot, name)
  if (entry?.enabled) return entry
  ui.debug(`Entry ${name} after writing 1: ${entry ? 'disabled' : 'missing'}`)
  throw new UserError(
    `The binfmt_misc entry ${name} is disabled and enabling it failed ` +
      `(${error ?? 'it stayed disabled'}). Enable it as root ` +
      `(echo 1 > ${file}) and run again.`
  )
}

async function checkInterpreter(
  entry: BinfmtEntry,
  root: string,
  ui: Ui
): Promise<boolean | undefined> {
  const fixBinary = entry.flags.includes('F')
  let interpreter: string | undefined
  try {
    const elf = await readElf(entry.interpreter)
    if (elf === undefined) return undefined
    interpreter = elf.interpreter
  } catch (error) {
    if (fixBinary) {
      // The kernel opened the file at registration and keeps using it.
      ui.debug(
        `Cannot read interpreter ${entry.interpreter}: ${errorMessage(error)}`
      )
      return undefined
    }
    throw new UserError(
      `The binfmt_misc entry ${entry.name} names the interpreter ` +
        `${entry.interpreter}, which cannot be read (${errorMessage(error)}), ` +
        'so no program of this target can start. Reinstall ' +
        `qemu-user-static, or remove the entry (echo -1 > ` +
        `${path.join(root, entry.name)}) so that rump-cross registers it again.`
    )
  }

  if (interpreter === undefined) return true
  if (!fixBinary) {
    ui.warning(
      `The binfmt_misc entry ${entry.name} uses the dynamically linked ` +
        `interpreter ${entry.interpreter} without the F flag, so foreign ` +
        'programs will not start inside a chroot or a container with ' +
        'another root. Install qemu-user-static to get a static interpreter ' +
        'registered with F.'
    )
  }
  return false
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}
