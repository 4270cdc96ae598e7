// The ELF facts the host step reports: machine, class, byte order and
// dynamic loader, read with the shared reader in src/elf.ts.
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { readElfHeader, readInterpreter } from '../elf.js'

export interface ElfInfo {
  readonly bits: 32 | 64
  readonly endianness: 'big' | 'little'
  /** e_machine, such as 20 for PowerPC or 62 for x86-64. */
  readonly machine: number
  /** Path in PT_INTERP; undefined for a statically linked program. */
  readonly interpreter?: string
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
  // The shared reader returns undefined for an unreadable file as well.
  await access(file, constants.R_OK)
  const header = readElfHeader(file)
  if (header === undefined) return undefined
  const interpreter = readInterpreter(file)
  return {
    bits: header.bits,
    endianness: header.littleEndian ? 'little' : 'big',
    machine: header.machine,
    ...(interpreter === undefined ? {} : { interpreter })
  }
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
