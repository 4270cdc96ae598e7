// The error that ends the toolchain step when no source worked.
import { formatDuration } from '../duration.js'
import { UserError, errorMessage } from '../errors.js'
import type { Arch } from '../arches.js'
import { type Attempt, DownloadError, formatBytes } from './download.js'
import type { ToolchainSource } from './sources.js'
import { maskUrl } from './url.js'
import { ChecksumError } from './verify.js'

export interface SourceFailure {
  readonly source: ToolchainSource
  readonly error: unknown
}

/**
 * Returns true when the failure means the source could not be downloaded
 * (no connection, an HTTP error, a broken transfer, or no checksum file),
 * as opposed to a download that arrived and was wrong.
 */
export function isUnreachable(failure: SourceFailure): boolean {
  const { error } = failure
  return (
    (error instanceof DownloadError && error.kind !== 'write') ||
    (error instanceof ChecksumError && error.unavailable)
  )
}

/**
 * Returns true when an older cached toolchain may stand in for the source:
 * it could not be downloaded, and not because a toolchain-url is wrong
 * (HTTP 4xx, or a file URL that does not exist), which the user must fix.
 */
export function allowsOlderToolchain(failure: SourceFailure): boolean {
  if (!isUnreachable(failure)) return false
  const { source, error } = failure
  if (source.builtIn || !(error instanceof DownloadError)) return true
  if (source.url.startsWith('file:')) return false
  return !(error.kind === 'http' && (error.status ?? 0) < 500)
}

export const UNREACHABLE_DEFAULTS_ADVICE =
  'the default toolchain sources could not be reached. Without internet access, pass `--toolchain-url` (input toolchain-url) with a loopback server, such as http://127.0.0.1:8000/{triple}-cross.tgz, or `--toolchain-path` with an installed toolchain, and `--buildrump-path` (input buildrump-path) with a fetched buildrump.sh checkout that has its src folder.'

function describeAttempt(attempt: Attempt): string {
  const { status, error } = attempt
  let outcome = error ?? `HTTP ${status ?? '-'}, ok`
  if (error && status !== undefined && !error.startsWith('HTTP')) {
    outcome += ` (HTTP ${status})`
  }
  return `${attempt.url}: ${outcome}; ${formatBytes(attempt.bytes)} in ${formatDuration(attempt.ms)}`
}

/** Builds the error that lists every source, every attempt and what to do next. */
export function allSourcesFailedError(
  arch: Arch,
  failures: readonly SourceFailure[],
  attempts: readonly Attempt[]
): UserError {
  const builtIn = failures.length > 0 && failures.every(f => f.source.builtIn)
  const unreachable = failures.every(isUnreachable)
  let advice: string
  if (unreachable && builtIn) {
    advice = UNREACHABLE_DEFAULTS_ADVICE
  } else if (unreachable) {
    advice =
      'none of the toolchain-url sources could be downloaded; check the URLs and the network, or pass `--toolchain-path` (input toolchain-path) to an installed toolchain.'
  } else {
    advice =
      'every source failed; fix the problem listed for the source you expect to work, or pass `--toolchain-path` (input toolchain-path) to an installed toolchain.'
  }

  const lines = [
    `Could not provide the musl cross toolchain for ${arch.triple}: ${advice}`,
    'Sources:'
  ]
  for (const { source, error } of failures) {
    lines.push(
      `  ${source.label} ${maskUrl(source.url)}: ${errorMessage(error)}`
    )
  }
  if (attempts.length > 0) {
    lines.push('Attempts:')
    for (const attempt of attempts) lines.push(`  ${describeAttempt(attempt)}`)
  }
  return new UserError(lines.join('\n'))
}
