// The architectures rump-cross supports, in one table. Everything that differs
// per target (toolchain names, the qemu-user binary, the NetBSD machine that
// buildrump.sh picks) is read from here and nowhere else.

export type Endianness = 'big' | 'little'

export interface Arch {
  /** Canonical name, used in artifact names, reports and the summary. */
  readonly name: string
  /** Other names a user may type for the same target. */
  readonly aliases: readonly string[]
  /** musl.cc spelling of the toolchain triple (`<triple>-gcc`). */
  readonly triple: string
  /** cross-tools/musl-cross spelling, which adds an `unknown` vendor field. */
  readonly vendorTriple: string
  /** qemu-user target: `qemu-<qemu>` and binfmt entry `qemu-<qemu>`. */
  readonly qemu: string
  /** NetBSD machine that buildrump.sh's evalmachine selects for the triple. */
  readonly netbsdMachine: string
  readonly endianness: Endianness
  readonly bits: 32 | 64
  /** ELF e_machine of the target, used to recognise its binaries. */
  readonly elfMachine: number
  /** Reason the target cannot be built; absent for supported targets. */
  readonly unsupported?: string
}

function vendor(triple: string): string {
  const dash = triple.indexOf('-')
  return `${triple.slice(0, dash)}-unknown${triple.slice(dash)}`
}

function arch(fields: Omit<Arch, 'vendorTriple'>): Arch {
  return { ...fields, vendorTriple: vendor(fields.triple) }
}

// ELF e_machine values from the System V ABI and binutils' include/elf.
const EM_386 = 3
const EM_MIPS = 8
const EM_PPC = 20
const EM_PPC64 = 21
const EM_S390 = 22
const EM_ARM = 40
const EM_X86_64 = 62
const EM_AARCH64 = 183
const EM_RISCV = 243

// NetBSD machines follow buildrump.sh's evalmachine, probearm, probeaarch64
// and probemips (rumpkernel/buildrump.sh 6cccd46).
export const ARCHES: readonly Arch[] = [
  arch({
    name: 'powerpc',
    aliases: ['ppc', 'powerpc32'],
    triple: 'powerpc-linux-musl',
    qemu: 'ppc',
    netbsdMachine: 'evbppc',
    endianness: 'big',
    bits: 32,
    elfMachine: EM_PPC
  }),
  arch({
    name: 'powerpc64',
    aliases: ['ppc64'],
    triple: 'powerpc64-linux-musl',
    qemu: 'ppc64',
    netbsdMachine: 'evbppc64',
    endianness: 'big',
    bits: 64,
    elfMachine: EM_PPC64
  }),
  arch({
    name: 'powerpc64le',
    aliases: ['ppc64le', 'ppc64el'],
    triple: 'powerpc64le-linux-musl',
    qemu: 'ppc64le',
    netbsdMachine: 'evbppc64',
    endianness: 'little',
    bits: 64,
    elfMachine: EM_PPC64,
    unsupported:
      'buildrump.sh maps powerpc64le to the big-endian NetBSD machine evbppc64, so the kernel it builds cannot run on a little-endian target'
  }),
  arch({
    name: 'armhf',
    aliases: ['armv7', 'armv7hf', 'arm-hf', 'armhfp'],
    triple: 'arm-linux-musleabihf',
    qemu: 'arm',
    netbsdMachine: 'evbearmhf-el',
    endianness: 'little',
    bits: 32,
    elfMachine: EM_ARM
  }),
  arch({
    name: 'arm',
    aliases: ['armel', 'armsf', 'arm-sf', 'armv5'],
    triple: 'arm-linux-musleabi',
    qemu: 'arm',
    netbsdMachine: 'evbearm-el',
    endianness: 'little',
    bits: 32,
    elfMachine: EM_ARM
  }),
  arch({
    name: 'aarch64',
    aliases: ['arm64', 'armv8'],
    triple: 'aarch64-linux-musl',
    qemu: 'aarch64',
    netbsdMachine: 'evbarm64-el',
    endianness: 'little',
    bits: 64,
    elfMachine: EM_AARCH64
  }),
  arch({
    name: 'mips',
    aliases: ['mipseb', 'mips32'],
    triple: 'mips-linux-musl',
    qemu: 'mips',
    netbsdMachine: 'evbmips-eb',
    endianness: 'big',
    bits: 32,
    elfMachine: EM_MIPS
  }),
  arch({
    name: 'mipsel',
    aliases: ['mipsle', 'mips32el'],
    triple: 'mipsel-linux-musl',
    qemu: 'mipsel',
    netbsdMachine: 'evbmips-el',
    endianness: 'little',
    bits: 32,
    elfMachine: EM_MIPS
  }),
  arch({
    name: 'mips64',
    aliases: ['mips64eb'],
    triple: 'mips64-linux-musl',
    qemu: 'mips64',
    netbsdMachine: 'evbmips64-eb',
    endianness: 'big',
    bits: 64,
    elfMachine: EM_MIPS
  }),
  arch({
    name: 'mips64el',
    aliases: ['mips64le'],
    triple: 'mips64el-linux-musl',
    qemu: 'mips64el',
    netbsdMachine: 'evbmips64-el',
    endianness: 'little',
    bits: 64,
    elfMachine: EM_MIPS
  }),
  arch({
    name: 'i686',
    aliases: ['i386', 'i486', 'i586', 'x86', 'ia32'],
    triple: 'i686-linux-musl',
    qemu: 'i386',
    netbsdMachine: 'i386',
    endianness: 'little',
    bits: 32,
    elfMachine: EM_386
  }),
  arch({
    name: 'x86_64',
    aliases: ['amd64', 'x64', 'x86-64'],
    triple: 'x86_64-linux-musl',
    qemu: 'x86_64',
    netbsdMachine: 'amd64',
    endianness: 'little',
    bits: 64,
    elfMachine: EM_X86_64
  }),
  arch({
    name: 'riscv64',
    aliases: ['riscv', 'rv64', 'rv64gc'],
    triple: 'riscv64-linux-musl',
    qemu: 'riscv64',
    netbsdMachine: 'riscv',
    endianness: 'little',
    bits: 64,
    elfMachine: EM_RISCV
  }),
  arch({
    name: 's390x',
    aliases: ['s390', 'systemz'],
    triple: 's390x-linux-musl',
    qemu: 's390x',
    netbsdMachine: '',
    endianness: 'big',
    bits: 64,
    elfMachine: EM_S390,
    unsupported:
      'NetBSD has no s390x port, so buildrump.sh stops with "script does not know machine"'
  })
]

/** Returns the supported names, for messages and help text. */
export function supportedArchNames(): string[] {
  return ARCHES.filter(a => a.unsupported === undefined).map(a => a.name)
}

/**
 * Looks up a target by name, alias or triple (either spelling, any case).
 * Returns undefined when nothing matches; an unsupported entry is returned
 * so that the caller can say why it cannot be built.
 */
export function findArch(value: string): Arch | undefined {
  const key = value.trim().toLowerCase()
  if (key === '') return undefined
  return ARCHES.find(
    a =>
      a.name === key ||
      a.aliases.includes(key) ||
      a.triple === key ||
      a.vendorTriple === key
  )
}
