// Just enough ELF reading to tell which machine a program is built for,
// whether it needs a dynamic loader, and which program a core file came from
// (System V gABI: "ELF Header", "Program Header" and "Note Section").
import { closeSync, openSync, readSync } from 'node:fs'

export const ET_EXEC = 2
export const ET_DYN = 3
export const ET_CORE = 4

const PT_INTERP = 3
const PT_NOTE = 4
/** Longest PT_INTERP path read; loaders' paths are far shorter. */
const MAX_INTERPRETER_BYTES = 4096
const NT_PRPSINFO = 3
/** ELF_PRARGSZ in the Linux uapi: pr_psargs is the last field of prpsinfo. */
const PRPSINFO_ARGS_SIZE = 80
/** pr_fname, the 16-byte command name, comes right before pr_psargs. */
const PRPSINFO_NAME_SIZE = 16
/** Upper bound on the note bytes read; NT_PRPSINFO is the second note. */
const MAX_NOTE_BYTES = 256 * 1024

export interface ElfHeader {
  readonly bits: 32 | 64
  readonly littleEndian: boolean
  /** e_type: ET_EXEC, ET_DYN, ET_CORE, ... */
  readonly type: number
  /** e_machine, as in Arch.elfMachine. */
  readonly machine: number
  /** e_phoff, e_phentsize and e_phnum, for walking the program headers. */
  readonly programHeaderOffset: number
  readonly programHeaderSize: number
  readonly programHeaderCount: number
}

/** Command recorded in a core file's NT_PRPSINFO note. */
export interface CoreCommand {
  /** pr_fname: the process name, cut to 15 characters by the kernel. */
  readonly name: string
  /** pr_psargs: the start of the command line, cut to 79 characters. */
  readonly args: string
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length)
  const read = readSync(fd, buffer, 0, length, position)
  return buffer.subarray(0, read)
}

function withFile<T>(path: string, fn: (fd: number) => T): T | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined
  }
  try {
    return fn(fd)
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

function parseHeader(bytes: Buffer): ElfHeader | undefined {
  if (bytes.length < 52) return undefined
  if (bytes.readUInt32BE(0) !== 0x7f454c46) return undefined
  // EI_CLASS is 1 for 32-bit and 2 for 64-bit, EI_DATA 1 for little and 2
  // for big endian.
  if (![1, 2].includes(bytes[4]) || ![1, 2].includes(bytes[5])) return undefined
  const bits = bytes[4] === 2 ? 64 : 32
  const littleEndian = bytes[5] === 1
  if (bits === 64 && bytes.length < 64) return undefined

  const u16 = (at: number) =>
    littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at)
  const u32 = (at: number) =>
    littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at)
  const u64 = (at: number) =>
    Number(littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at))

  return {
    bits,
    littleEndian,
    type: u16(16),
    machine: u16(18),
    programHeaderOffset: bits === 64 ? u64(32) : u32(28),
    programHeaderSize: u16(bits === 64 ? 54 : 42),
    programHeaderCount: u16(bits === 64 ? 56 : 44)
  }
}

/** Reads the ELF header of a file; undefined when it is not ELF. */
export function readElfHeader(path: string): ElfHeader | undefined {
  return withFile(path, fd => parseHeader(readAt(fd, 0, 64)))
}

/** Returns the file offset and size of each segment of the given type. */
function segments(
  fd: number,
  header: ElfHeader,
  segmentType: number
): [number, number][] {
  const table = readAt(
    fd,
    header.programHeaderOffset,
    header.programHeaderSize * header.programHeaderCount
  )
  const le = header.littleEndian
  const segments: [number, number][] = []
  for (let i = 0; i < header.programHeaderCount; i++) {
    const at = i * header.programHeaderSize
    if (at + header.programHeaderSize > table.length) break
    const type = le ? table.readUInt32LE(at) : table.readUInt32BE(at)
    if (type !== segmentType) continue
    if (header.bits === 64) {
      const offset = le
        ? table.readBigUInt64LE(at + 8)
        : table.readBigUInt64BE(at + 8)
      const size = le
        ? table.readBigUInt64LE(at + 32)
        : table.readBigUInt64BE(at + 32)
      segments.push([Number(offset), Number(size)])
    } else {
      const offset = le
        ? table.readUInt32LE(at + 4)
        : table.readUInt32BE(at + 4)
      const size = le
        ? table.readUInt32LE(at + 16)
        : table.readUInt32BE(at + 16)
      segments.push([offset, size])
    }
  }
  return segments
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0)
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('latin1')
}

function findPrpsinfo(
  notes: Buffer,
  littleEndian: boolean
): CoreCommand | undefined {
  const u32 = (at: number) =>
    littleEndian ? notes.readUInt32LE(at) : notes.readUInt32BE(at)
  const align4 = (n: number) => (n + 3) & ~3

  let at = 0
  while (at + 12 <= notes.length) {
    const nameSize = u32(at)
    const descSize = u32(at + 4)
    const type = u32(at + 8)
    const descStart = at + 12 + align4(nameSize)
    const descEnd = descStart + descSize
    if (descEnd > notes.length) return undefined
    if (
      type === NT_PRPSINFO &&
      descSize >= PRPSINFO_ARGS_SIZE + PRPSINFO_NAME_SIZE
    ) {
      const argsStart = descEnd - PRPSINFO_ARGS_SIZE
      return {
        name: cString(
          notes.subarray(argsStart - PRPSINFO_NAME_SIZE, argsStart)
        ),
        args: cString(notes.subarray(argsStart, descEnd)).trim()
      }
    }
    at = descStart + align4(descSize)
  }
  return undefined
}

/**
 * Reads the process name and arguments from a core file's NT_PRPSINFO
 * note. Returns undefined for files that are not ELF core files or that
 * lack the note.
 */
export function readCoreCommand(path: string): CoreCommand | undefined {
  return withFile(path, fd => {
    const header = parseHeader(readAt(fd, 0, 64))
    if (header?.type !== ET_CORE) return undefined
    for (const [offset, size] of segments(fd, header, PT_NOTE)) {
      const notes = readAt(fd, offset, Math.min(size, MAX_NOTE_BYTES))
      const command = findPrpsinfo(notes, header.littleEndian)
      if (command) return command
    }
    return undefined
  })
}

/**
 * Reads the PT_INTERP path of an ELF program. Returns undefined for a
 * statically linked program and for a file that is not ELF.
 */
export function readInterpreter(path: string): string | undefined {
  return withFile(path, fd => {
    const header = parseHeader(readAt(fd, 0, 64))
    if (header === undefined) return undefined
    const [interp] = segments(fd, header, PT_INTERP)
    if (interp === undefined) return undefined
    const [offset, size] = interp
    return cString(readAt(fd, offset, Math.min(size, MAX_INTERPRETER_BYTES)))
  })
}
