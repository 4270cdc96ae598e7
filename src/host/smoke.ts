// Proves that the toolchain and the emulator work together before a long
// build: compile a tiny static program, check its machine, and run it.
import { mkdir, open, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Arch } from '../arches.js'
import { formatDuration } from '../duration.js'
import { UserError } from '../errors.js'
import type { Ui } from '../ui.js'
import { findMatchingEntries } from './binfmt.js'
import { describeElf, readElf } from './elf.js'
import { describeFailure, type HostSystem, type RunResult } from './system.js'

export interface SmokeRequest {
  readonly arch: Arch
  /** C compiler of the cross toolchain. */
  readonly cc: string
  /** Folder for the source and the program; created when missing. */
  readonly workDir: string
  /** Emulator to try when the direct run fails; undefined on native hosts. */
  readonly qemu?: string
}

const SOURCE = `#include <stdio.h>

int main(void) {
  unsigned int one = 1;
  const char *order = *(unsigned char *)&one == 1 ? "little" : "big";
  printf("rump-cross smoke test: %s-endian %d-bit\\n", order,
         (int)(sizeof(void *) * 8));
  return 0;
}
`

const COMPILE_TIMEOUT_MS = 120_000
const RUN_TIMEOUT_MS = 60_000

/** Returns the line the smoke program prints on a correct target. */
export function expectedSmokeOutput(arch: Arch): string {
  return `rump-cross smoke test: ${arch.endianness}-endian ${arch.bits}-bit`
}

/**
 * Compiles and runs the smoke program. Throws a UserError that names the
 * broken part: the compiler, the emulator or the binfmt_misc registration.
 */
export async function runSmokeTest(
  request: SmokeRequest,
  ui: Ui,
  system: HostSystem
): Promise<void> {
  const started = Date.now()
  ui.info(`Smoke test: building a static program with ${request.cc}`)
  const program = await compileSmokeProgram(request, system)
  await checkMachine(request, program)

  const direct = await runDirectly(program, system)
  const expected = expectedSmokeOutput(request.arch)
  if (succeeded(direct, expected)) {
    ui.info(
      `Smoke test passed: ${path.basename(program)} printed "${expected}" ` +
        `(${formatDuration(Date.now() - started)})`
    )
    return
  }
  ui.output(`${direct.stdout}\n${direct.stderr}`.split('\n').filter(Boolean))

  if (request.qemu === undefined) {
    throw new UserError(
      `The smoke program ${program}, built by ${request.cc} for ` +
        `${request.arch.name}, does not run on this host ` +
        `(${describeDirectRun(direct, expected)}). The compiler or its C ` +
        'library produces broken programs: check the toolchain.'
    )
  }

  const emulated = await system.run(request.qemu, [program], {
    cwd: request.workDir,
    timeoutMs: RUN_TIMEOUT_MS
  })
  if (!succeeded(emulated, expected)) {
    throw new UserError(
      `The emulator failed: the smoke program ${program} runs neither when ` +
        `started directly (${describeDirectRun(direct, expected)}) nor under ` +
        `${request.qemu} (${describeRun(emulated, expected)}). Check that ` +
        `${request.qemu} works for ${request.arch.name} (a newer ` +
        'qemu-user-static may help), and that the toolchain targets a CPU ' +
        'that qemu emulates.'
    )
  }
  throw await registrationError(request, program, direct, system)
}

async function compileSmokeProgram(
  request: SmokeRequest,
  system: HostSystem
): Promise<string> {
  await mkdir(request.workDir, { recursive: true })
  const source = path.join(request.workDir, 'smoke.c')
  const program = path.join(request.workDir, 'smoke')
  await writeFile(source, SOURCE)
  const result = await system.run(
    request.cc,
    ['-static', '-o', program, source],
    { cwd: request.workDir, timeoutMs: COMPILE_TIMEOUT_MS }
  )
  if (result.exitCode !== 0) {
    throw new UserError(
      `The compiler failed: ${request.cc} could not build the static smoke ` +
        `program ${source} (${describeFailure(result)}). Check that it is a ` +
        `working ${request.arch.triple} cross compiler with a static C library.`
    )
  }
  return program
}

async function checkMachine(request: SmokeRequest, program: string) {
  const { arch, cc } = request
  const elf = await readElf(program)
  const matches =
    elf !== undefined &&
    elf.machine === arch.elfMachine &&
    elf.bits === arch.bits &&
    elf.endianness === arch.endianness
  if (matches) return
  const actual = elf === undefined ? 'a file that is not ELF' : describeElf(elf)
  const expected = describeElf({
    machine: arch.elfMachine,
    bits: arch.bits,
    endianness: arch.endianness
  })
  throw new UserError(
    `The compiler builds for the wrong target: ${cc} produced ${actual}, but ` +
      `${arch.name} needs ${expected}. Use a ${arch.triple} toolchain ` +
      '(toolchain-path or toolchain-url).'
  )
}

// Started through bash because Node's spawn, like execvp, hands a file that
// the kernel rejects with ENOEXEC to /bin/sh, which would then try to read
// the ELF program as a script. bash reports "Exec format error" instead.
function runDirectly(program: string, system: HostSystem): Promise<RunResult> {
  return system.run('bash', ['-c', 'exec "$0"', program], {
    cwd: path.dirname(program),
    timeoutMs: RUN_TIMEOUT_MS
  })
}

function succeeded(result: RunResult, expected: string): boolean {
  return result.exitCode === 0 && result.stdout.trim() === expected
}

// Messages bash prints when execve fails, before any program output.
const EXEC_ERRORS =
  /Exec format error|required file not found|No such file or directory|Permission denied/

function describeRun(result: RunResult, expected: string): string {
  if (result.exitCode !== 0) return describeFailure(result)
  const printed = result.stdout.trim().split('\n')[0] ?? ''
  return `printed "${printed}" instead of "${expected}"`
}

/** Describes a direct run, keeping only the exec error that bash reports. */
function describeDirectRun(result: RunResult, expected: string): string {
  const execError = EXEC_ERRORS.exec(result.stderr)
  if (result.exitCode === null || execError === null) {
    return describeRun(result, expected)
  }
  return `exit code ${result.exitCode}: ${execError[0]}`
}

async function registrationError(
  request: SmokeRequest,
  program: string,
  direct: RunResult,
  system: HostSystem
): Promise<UserError> {
  const name = `qemu-${request.arch.qemu}`
  const root = system.binfmtRoot
  const entries = await findMatchingEntries(root, await readHeader(program))
  const listed =
    entries.length === 0
      ? 'none'
      : entries.map(e => `${e.name} (interpreter ${e.interpreter})`).join(', ')
  const others = entries.filter(e => e.name !== name)
  const fix =
    others.length > 0
      ? `Remove the entries that catch the program before ${name} ` +
        `(${others.map(e => `echo -1 > ${path.join(root, e.name)}`).join('; ')}) ` +
        'and run again.'
      : `Re-register ${name} (update-binfmts --import ${name}, or remove ` +
        `${path.join(root, name)} with echo -1 and run again).`
  return new UserError(
    `The binfmt_misc registration is broken: the smoke program ${program} ` +
      `runs under ${request.qemu} but not when started directly ` +
      `(${describeDirectRun(direct, expectedSmokeOutput(request.arch))}). ` +
      `Enabled entries matching it: ${listed}. ${fix}`
  )
}

async function readHeader(program: string): Promise<Buffer> {
  const handle = await open(program, 'r')
  try {
    const buffer = Buffer.alloc(128)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
