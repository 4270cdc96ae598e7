// Every input of action.yml, read and validated in one place. The CLI reads
// the same table through its flags, so both paths share names and checks.
import os from 'node:os'
import path from 'node:path'
import { parse as parseShell } from 'shell-quote'
import { type Arch, findArch, supportedArchNames } from './arches.js'
import { checkUserArgs } from './buildrump/command.js'
import { findSuiteTest, SUITE } from './buildrump/suite.js'
import { parseDuration } from './duration.js'
import { UserError } from './errors.js'

export interface InputSpec {
  readonly description: string
  readonly required?: boolean
  /** Default as written in action.yml; empty means "computed at run time". */
  readonly default: string
}

export const INPUTS = {
  arch: {
    description:
      'Target architecture: a name (powerpc, armhf, aarch64, mips, ...), an alias (ppc, arm64, amd64, ...) or a musl triple.',
    required: true,
    default: ''
  },
  'toolchain-url': {
    description:
      'URL templates of musl cross toolchain archives, one per line, tried in order; {triple} is replaced. Empty uses the built-in pinned list.',
    default: ''
  },
  'toolchain-sha256': {
    description:
      'Expected sha256 of the toolchain archive. Empty uses the pinned or published checksum.',
    default: ''
  },
  'toolchain-path': {
    description:
      'Folder of an installed musl cross toolchain (with bin/<triple>-gcc). Skips the download.',
    default: ''
  },
  'buildrump-path': {
    description:
      'Folder holding buildrump.sh. When it has none, upstream is cloned at buildrump-ref.',
    default: '.'
  },
  'buildrump-ref': {
    description: 'Upstream buildrump.sh commit or tag to clone.',
    default: '6cccd464a9675ce19eaca569b1c9c2837492038c'
  },
  'src-path': {
    description:
      'NetBSD sources. Empty means <buildrump-path>/src, fetched with "buildrump.sh checkout" when missing.',
    default: ''
  },
  commands: {
    description: 'buildrump.sh commands to run.',
    default: 'fullbuild tests'
  },
  args: {
    description:
      'Extra buildrump.sh arguments, split like a shell command line but never run by a shell.',
    default: ''
  },
  jobs: {
    description: 'make parallelism (-j). Empty uses the number of cores.',
    default: ''
  },
  'test-timeout': {
    description:
      'A test that prints nothing for this long is hung (90s, 5m, 2h; a bare number is seconds).',
    default: '5m'
  },
  timeout: {
    description: 'Limit for the whole run; 0 means none.',
    default: '0'
  },
  'known-issues': {
    description:
      'Results expected on this architecture, one "<test>: <hang|fail|crash>" per line.',
    default: ''
  },
  backtraces: {
    description:
      'Collect guest cores and gdb-multiarch backtraces for hung and crashed tests.',
    default: 'true'
  },
  cache: {
    description: 'Save and restore the toolchain with the GitHub cache.',
    default: 'true'
  },
  'upload-logs': {
    description:
      'Upload logs, reports and guest cores as the artifact rump-cross-<arch>.',
    default: 'true'
  }
} as const satisfies Record<string, InputSpec>

export type InputName = keyof typeof INPUTS

export type KnownIssueKind = 'hang' | 'fail' | 'crash'

export interface KnownIssue {
  readonly test: string
  readonly kind: KnownIssueKind
}

export interface Inputs {
  readonly arch: Arch
  /** URL templates from the input; empty means the built-in sources. */
  readonly toolchainUrls: readonly string[]
  readonly toolchainSha256?: string
  readonly toolchainPath?: string
  readonly buildrumpPath: string
  readonly buildrumpRef: string
  /** Undefined means the src folder next to the buildrump.sh that runs. */
  readonly srcPath?: string
  readonly commands: readonly string[]
  readonly args: readonly string[]
  readonly jobs: number
  readonly testTimeoutMs: number
  /** Zero means no limit. */
  readonly timeoutMs: number
  readonly knownIssues: readonly KnownIssue[]
  readonly backtraces: boolean
  readonly cache: boolean
  readonly uploadLogs: boolean
}

/** Reads the raw text of one input; returns '' when it is not set. */
export type InputReader = (name: InputName) => string

const KNOWN_COMMANDS = new Set([
  'checkout',
  'checkoutgit',
  'checkoutcvs',
  'probe',
  'tools',
  'build',
  'kernelheaders',
  'install',
  'tests',
  'fullbuild'
])

const SHA256 = /^[0-9a-f]{64}$/i

const MAX_DURATION_MS = 2 ** 31 - 1

function fail(
  name: InputName,
  value: string,
  problem: string,
  fix: string
): never {
  throw new UserError(`Input ${name} "${value}" ${problem}. ${fix}`)
}

function readText(read: InputReader, name: InputName): string {
  const value = read(name).trim()
  return value === '' ? INPUTS[name].default : value
}

function readLines(read: InputReader, name: InputName): string[] {
  return readText(read, name)
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'))
}

function readBoolean(read: InputReader, name: InputName): boolean {
  const value = readText(read, name)
  // The same spellings as core.getBooleanInput (YAML 1.2 core schema).
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  return fail(name, value, 'is not a boolean', 'Use true or false.')
}

function readArch(read: InputReader): Arch {
  const value = read('arch').trim()
  const supported = supportedArchNames().join(', ')
  if (value === '') {
    throw new UserError(
      `Input arch is required. Set it to one of: ${supported}.`
    )
  }
  const arch = findArch(value)
  if (!arch) {
    return fail(
      'arch',
      value,
      'is not a known architecture',
      `Use one of: ${supported} (an alias or a musl triple such as powerpc-linux-musl works too).`
    )
  }
  if (arch.unsupported) {
    return fail(
      'arch',
      value,
      `cannot be built: ${arch.unsupported}`,
      `Use one of: ${supported}.`
    )
  }
  return arch
}

function readUrls(read: InputReader): string[] {
  const urls = readLines(read, 'toolchain-url')
  for (const url of urls) {
    // Credentials stay out of the log, even in a URL that does not parse.
    const maskedUrl = url.replace(/\/\/[^/@\s]*@/, '//***@')
    let parsed: URL
    try {
      parsed = new URL(url.replace(/\{[a-z-]+\}/g, 'x'))
    } catch {
      return fail(
        'toolchain-url',
        maskedUrl,
        'is not a URL',
        'Give one absolute http://, https:// or file:// URL template per line, such as https://example.org/{triple}-cross.tgz.'
      )
    }
    if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) {
      fail(
        'toolchain-url',
        maskedUrl,
        `uses the unsupported scheme ${parsed.protocol}`,
        'Use http://, https:// or file://.'
      )
    }
  }
  return urls
}

function readSha256(read: InputReader): string | undefined {
  const value = read('toolchain-sha256').trim()
  if (value === '') return undefined
  if (!SHA256.test(value)) {
    fail(
      'toolchain-sha256',
      value,
      'is not a sha256 digest',
      'Give the 64 hexadecimal digits printed by sha256sum.'
    )
  }
  return value.toLowerCase()
}

function readCommands(read: InputReader): string[] {
  const value = readText(read, 'commands')
  const commands = value.split(/\s+/).filter(Boolean)
  for (const command of commands) {
    if (!KNOWN_COMMANDS.has(command)) {
      fail(
        'commands',
        value,
        `contains the unknown buildrump.sh command "${command}"`,
        `Use commands from: ${[...KNOWN_COMMANDS].join(', ')}.`
      )
    }
  }
  if (commands.length === 0) {
    fail('commands', value, 'is empty', 'Use for example "fullbuild tests".')
  }
  return commands
}

/** Splits `args` like a shell does, rejecting anything a shell would run. */
export function splitArgs(value: string): string[] {
  const words: string[] = []
  // A function as env makes shell-quote keep `$X` as text instead of
  // expanding it; the marker is then rejected below.
  const marker = '\u0000variable\u0000'
  // shell-quote starts a comment at any #, but sh only at the start of a
  // word, so a # inside a word is hidden from it and put back below.
  const hash = '\u0000hash\u0000'
  const hidden = value.replace(/(?<=\S)#/g, hash)
  for (const parsed of parseShell(hidden, () => marker)) {
    const entry =
      typeof parsed === 'string' ? parsed.replaceAll(hash, '#') : parsed
    if (typeof entry === 'string') {
      // shell-quote keeps backticks as text; a shell would run them.
      if (entry.includes(marker) || entry.includes('`')) {
        fail(
          'args',
          value,
          'contains a $ variable or command substitution',
          'Write the value itself; args are passed to buildrump.sh without a shell.'
        )
      }
      words.push(entry)
      continue
    }
    const syntax =
      'pattern' in entry
        ? entry.pattern
        : 'op' in entry
          ? entry.op
          : 'comment' in entry
            ? '#'
            : '?'
    fail(
      'args',
      value,
      `contains the shell syntax "${syntax}"`,
      'Quote it if it is meant literally; args are passed to buildrump.sh without a shell, so pipes, redirections, globs and command lists cannot work.'
    )
  }
  return words
}

function readArgs(read: InputReader): string[] {
  const args = splitArgs(read('args'))
  checkUserArgs(args)
  return args
}

function readJobs(read: InputReader): number {
  const value = read('jobs').trim()
  if (value === '') return Math.max(1, os.availableParallelism())
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1024) {
    fail(
      'jobs',
      value,
      'is not a whole number from 1 to 1024',
      'Leave it empty to use the number of cores.'
    )
  }
  return Number(value)
}

function readDuration(
  read: InputReader,
  name: 'test-timeout' | 'timeout'
): number {
  const value = readText(read, name)
  const ms = parseDuration(value)
  if (ms === undefined) {
    return fail(
      name,
      value,
      'is not a duration',
      'Write a number with s, m or h, such as 90s, 5m or 2h.'
    )
  }
  // setTimeout fires at once for delays past 2^31 - 1 ms (about 24 days).
  if (ms > MAX_DURATION_MS) {
    fail(
      name,
      value,
      'is longer than 24 days',
      'Use a shorter duration, such as 6h.'
    )
  }
  if (name === 'test-timeout' && ms < 1000) {
    fail(
      name,
      value,
      'is shorter than one second',
      'Use at least 1s; the default is 5m.'
    )
  }
  return ms
}

const KNOWN_ISSUE_KINDS: Record<string, KnownIssueKind> = {
  hang: 'hang',
  hung: 'hang',
  fail: 'fail',
  failed: 'fail',
  crash: 'crash',
  crashed: 'crash'
}

function readKnownIssues(read: InputReader): KnownIssue[] {
  return readLines(read, 'known-issues').map(line => {
    const match = /^(.+?)\s*:\s*([a-z]+)$/i.exec(line)
    const kind = match ? KNOWN_ISSUE_KINDS[match[2].toLowerCase()] : undefined
    if (!match || !kind) {
      return fail(
        'known-issues',
        line,
        'is not of the form "<test>: <hang|fail|crash>"',
        'Write one line per expected result, such as "nettest_routed: hang".'
      )
    }
    const test = match[1].trim()
    if (!findSuiteTest(test)) {
      fail(
        'known-issues',
        line,
        `names the unknown test "${test}"`,
        `Use a test id (${SUITE.map(t => t.id).join(', ')}) or the title the suite prints.`
      )
    }
    return { test, kind }
  })
}

/** Reads and validates every input; throws UserError on the first bad one. */
export function readInputs(read: InputReader, cwd = process.cwd()): Inputs {
  const arch = readArch(read)
  const toolchainUrls = readUrls(read)
  const toolchainSha256 = readSha256(read)
  const toolchainPathText = read('toolchain-path').trim()
  const buildrumpPath = path.resolve(cwd, readText(read, 'buildrump-path'))
  const srcPathText = read('src-path').trim()

  return {
    arch,
    toolchainUrls,
    toolchainSha256,
    toolchainPath: toolchainPathText
      ? path.resolve(cwd, toolchainPathText)
      : undefined,
    buildrumpPath,
    buildrumpRef: readText(read, 'buildrump-ref'),
    srcPath: srcPathText ? path.resolve(cwd, srcPathText) : undefined,
    commands: readCommands(read),
    args: readArgs(read),
    jobs: readJobs(read),
    testTimeoutMs: readDuration(read, 'test-timeout'),
    timeoutMs: readDuration(read, 'timeout'),
    knownIssues: readKnownIssues(read),
    backtraces: readBoolean(read, 'backtraces'),
    cache: readBoolean(read, 'cache'),
    uploadLogs: readBoolean(read, 'upload-logs')
  }
}
