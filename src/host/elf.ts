// Just enough of the ELF format to tell which machine a program is built for
// and whether it needs a dynamic loader (System V gABI, "ELF Header" and
// "Program Header").
import { open } from 'node:fs/promises'

export interface ElfInfo {
  readonly bits: 32 | 64
  readonly endianness: 'big' | 'little'
  /** e_machine, such as 20 for PowerPC or 62 for x86-64. */
  readonly machine: number
  /** Path in PT_INTERP; undefined for a statically linked program. */
  readonly interpreter?: string
}

const PT_INTERP = 3
const MAX_PROGRAM_HEADERS = 256
const ELF_CLASSES: Readonly<Record<number, 32 | 64>> = { 1: 32, 2: 64 }
const ELF_DATA: Readonly<Record<number, 'big' | 'little'>> = {
  1: 'little',
  2: 'big'
}

// Names from the e_machine list of the System V gABI.
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: 'Intel 80386',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'IBM S/390',
  40: 'ARM',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V'
}

/**
 * Reads the ELF header and program headers of a file. Returns undefined when
 * the file is not ELF (a script, for example); throws when it cannot be read.
 */
export async function readElf(file: string): Promise<ElfInfo | undefined> {
  const handle = await open(file, 'r')
  try {
    const ident = await readAt(handle, 0, 64)
    if (ident.length < 6 || ident.readUInt32BE(0) !== 0x7f454c46) {
      return undefined
    }
    const bits = ELF_CLASSES[ident[4]]
    const endianness = ELF_DATA[ident[5]]
    const headerSize = bits === 64 ? 64 : 52
    if (bits === undefined || endianness === undefined) return undefined
    if (ident.length < headerSize) return undefined

    const big = endianness === 'big'
    const u16 = (buf: Buffer, at: number): number =>
      big ? buf.readUInt16BE(at) : buf.readUInt16LE(at)
    const u32 = (buf: Buffer, at: number): number =>
      big ? buf.readUInt32BE(at) : buf.readUInt32LE(at)
    const u64 = (buf: Buffer, at: number): number =>
      Number(big ? buf.readBigUInt64BE(at) : buf.readBigUInt64LE(at))
    const word = bits === 64 ? u64 : u32

    const machine = u16(ident, 18)
    const phoff = word(ident, bits === 64 ? 32 : 28)
    const phentsize = u16(ident, bits === 64 ? 54 : 42)
    const phnum = Math.min(
      u16(ident, bits === 64 ? 56 : 44),
      MAX_PROGRAM_HEADERS
    )
    const headers = await readAt(handle, phoff, phentsize * phnum)

    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize
      if (at + phentsize > headers.length) break
      if (u32(headers, at) !== PT_INTERP) continue
      const offset = word(headers, at + (bits === 64 ? 8 : 4))
      const size = word(headers, at + (bits === 64 ? 32 : 16))
      const text = await readAt(handle, offset, Math.min(size, 4096))
      return {
        bits,
        endianness,
        machine,
        interpreter: text.toString('latin1').replace(/\0.*$/s, '')
      }
    }
    return { bits, endianness, machine }
  } finally {
    await handle.close()
  }
}

async function readAt(
  handle: Awaited<ReturnType<typeof open>>,
  position: number,
  length: number
): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}

/**
 * Describes an ELF target for messages, such as
 * `PowerPC (e_machine 20), 32-bit big-endian`.
 */
export function describeElf(info: ElfInfo): string {
  const name = MACHINE_NAMES[info.machine] ?? 'unknown machine'
  const layout = `${info.bits}-bit ${info.endianness}-endian`
  return `${name} (e_machine ${info.machine}), ${layout}`
}
