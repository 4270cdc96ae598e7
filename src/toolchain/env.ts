// Environment variables that point buildrump.sh at the toolchain's tools.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Toolchain } from './types.js'

// buildrump.sh uses these variables as given when they are set, and otherwise
// looks for `<cc -dumpmachine>-<tool>` on PATH, which fails when the file
// prefix differs from -dumpmachine.
const TOOLS: Readonly<Record<string, string>> = {
  CC: 'gcc',
  AR: 'ar',
  AS: 'as',
  LD: 'ld',
  NM: 'nm',
  OBJCOPY: 'objcopy',
  OBJDUMP: 'objdump',
  RANLIB: 'ranlib',
  READELF: 'readelf',
  STRIP: 'strip',
  SIZE: 'size',
  STRINGS: 'strings'
}

/**
 * Returns CC and the binutils variables with absolute paths, for each tool
 * whose `<prefix><tool>` exists in the toolchain's `bin/`.
 */
export function binutilsEnv(toolchain: Toolchain): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [variable, tool] of Object.entries(TOOLS)) {
    const file = path.join(toolchain.binDir, `${toolchain.prefix}${tool}`)
    if (existsSync(file)) env[variable] = file
  }
  return env
}
