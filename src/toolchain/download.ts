// Downloads over http, https and file URLs with a time limit per attempt, a
// stall limit, and retries with backoff for faults that may pass.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { formatDuration } from '../duration.js'
import { UserError, errorMessage } from '../errors.js'
import type { Ui } from '../ui.js'
import { maskUrl } from './url.js'

export interface FetchTimeouts {
  /** Maximum time in ms for one attempt, from the request to the last byte. */
  readonly attemptMs: number
  /** Maximum time in ms without a received byte before an attempt is stalled. */
  readonly stallMs: number
  /** Maximum number of attempts per URL. */
  readonly attempts: number
  /** Delay in ms before the first retry; it doubles for each further retry. */
  readonly backoffMs: number
}

// Sized for archives of up to a few hundred MB (an estimate, because none of
// the published archives could be downloaded here): 15 minutes allows for a
// slow mirror, and one minute without data means the transfer is stuck.
export const DEFAULT_FETCH_TIMEOUTS: FetchTimeouts = {
  attemptMs: 15 * 60_000,
  stallMs: 60_000,
  attempts: 3,
  backoffMs: 2_000
}

/** One request and its outcome, for the log and the final error. */
export interface Attempt {
  /** URL with credentials masked. */
  readonly url: string
  readonly status?: number
  readonly bytes: number
  readonly ms: number
  /** Failure reason; absent when the attempt succeeded. */
  readonly error?: string
}

/**
 * `unreachable`: no connection (refused, DNS, TLS, connect timeout, missing
 * file). `http`: the server responded with an error status. `stalled`,
 * `timeout`, `reset`, `truncated`: the transfer broke off. `too-large`: a
 * checksum file over its limit. `write`: the local file could not be written.
 */
export type FailureKind =
  | 'unreachable'
  | 'http'
  | 'stalled'
  | 'timeout'
  | 'reset'
  | 'truncated'
  | 'too-large'
  | 'write'

export class DownloadError extends UserError {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly retryable: boolean,
    /** HTTP status, when a response arrived. */
    readonly status?: number,
    /** Body bytes received before the failure. */
    readonly bytes = 0
  ) {
    super(message)
    this.name = 'DownloadError'
  }
}

export interface Digests {
  readonly sha256: string
  readonly sha512: string
}

export interface DownloadOptions {
  readonly ui: Ui
  readonly timeouts: FetchTimeouts
  /** Receives every attempt, including those of earlier downloads. */
  readonly attempts: Attempt[]
}

/** Receives the body of one attempt; a new sink is opened for each retry. */
interface Sink {
  write(chunk: Uint8Array): Promise<void>
  close(): Promise<void>
}

interface AttemptResult {
  readonly status?: number
  readonly bytes: number
}

// Connection failures that a retry a few seconds later would meet again.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT'
])

// Errors may come from another realm (Node's internals under a test VM), so
// they are read by shape rather than with instanceof.
interface ErrorShape {
  readonly message?: unknown
  readonly code?: unknown
  readonly cause?: unknown
}

function causeChain(error: unknown): ErrorShape[] {
  const chain: ErrorShape[] = []
  let current = error
  while (chain.length < 5 && typeof current === 'object' && current !== null) {
    const shape = current as ErrorShape
    chain.push(shape)
    current = shape.cause
  }
  return chain
}

/** Returns the first `code` found on the error or its chain of causes. */
function errorCode(error: unknown): string | undefined {
  const code = causeChain(error).find(e => typeof e.code === 'string')?.code
  return code as string | undefined
}

function describeCause(error: unknown): string {
  const messages = causeChain(error)
    .map(e => (typeof e.message === 'string' ? e.message : ''))
    .filter(message => message !== '')
  return messages.join(': ') || errorMessage(error)
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

function contentLength(response: IncomingMessage): number | undefined {
  // A body sent with Content-Encoding would not match the archive's digest
  // anyway; its length is not checked here.
  if (response.headers['content-encoding']) return undefined
  const text = response.headers['content-length']
  if (text === undefined || !/^\d+$/.test(text)) return undefined
  return Number(text)
}

/** Returns `url` without user name and password; they go in a header. */
function requestUrl(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  return parsed.href
}

function requestHeaders(url: string): Record<string, string> {
  // Identity keeps the bytes on disk equal to the published archive.
  const headers: Record<string, string> = {
    'accept-encoding': 'identity',
    'user-agent': 'rump-cross'
  }
  const { username, password } = new URL(url)
  if (username || password) {
    // Credentials in the URL become HTTP basic authentication, as with curl.
    const pair = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`
  }
  return headers
}

/** Redirects followed before an attempt fails; GitHub releases use one. */
const MAX_REDIRECTS = 5

function get(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const request = client.get(url, { headers, signal }, resolve)
    request.on('error', reject)
  })
}

/**
 * Sends the request and follows redirects. Credentials are not sent to
 * another origin.
 */
async function open(
  url: string,
  signal: AbortSignal
): Promise<IncomingMessage> {
  let current = new URL(url)
  const headers = requestHeaders(url)
  for (let hop = 0; ; hop++) {
    const response = await get(
      new URL(requestUrl(current.href)),
      headers,
      signal
    )
    const status = response.statusCode ?? 0
    const location = response.headers.location
    if (status < 300 || status >= 400 || location === undefined) return response
    response.resume()
    const next = new URL(location, current)
    if (hop >= MAX_REDIRECTS || !['http:', 'https:'].includes(next.protocol)) {
      throw new DownloadError(
        hop >= MAX_REDIRECTS
          ? `more than ${MAX_REDIRECTS} redirects`
          : `redirect to the unsupported URL ${maskUrl(next.href)}`,
        'http',
        false,
        status
      )
    }
    if (next.origin !== current.origin) delete headers.authorization
    current = next
  }
}

/**
 * Runs one HTTP request and streams the body into `sink`. It uses node:http
 * rather than fetch: the undici in Node 24.21 fails an internal assertion
 * and ends the process when a server closes the connection while a body
 * read waits for the disk (seen with Python's http.server).
 */
async function fetchOnce(
  url: string,
  sink: Sink,
  timeouts: FetchTimeouts
): Promise<AttemptResult> {
  const controller = new AbortController()
  let abortReason: 'stalled' | 'timeout' | undefined
  const abort = (reason: 'stalled' | 'timeout'): void => {
    abortReason ??= reason
    controller.abort()
  }
  const attemptTimer = setTimeout(() => abort('timeout'), timeouts.attemptMs)
  const stallTimer = setTimeout(() => abort('stalled'), timeouts.stallMs)
  let status: number | undefined
  let bytes = 0
  let expected: number | undefined

  try {
    const response = await open(url, controller.signal)
    stallTimer.refresh()
    status = response.statusCode
    if (status === undefined || status < 200 || status >= 300) {
      response.resume()
      throw new DownloadError(
        `HTTP ${status} ${response.statusMessage ?? ''}`.trim(),
        'http',
        status !== undefined && status >= 500
      )
    }
    expected = contentLength(response)
    for await (const chunk of response as AsyncIterable<Buffer>) {
      stallTimer.refresh()
      bytes += chunk.length
      await sink.write(chunk)
    }
    if (expected !== undefined && bytes !== expected) {
      throw new DownloadError(
        `truncated: received ${bytes} of ${expected} bytes`,
        'truncated',
        true
      )
    }
    return { status, bytes }
  } catch (error) {
    throw classify(error, { status, bytes, expected, abortReason, timeouts })
  } finally {
    clearTimeout(attemptTimer)
    clearTimeout(stallTimer)
    await sink.close()
  }
}

function classify(
  error: unknown,
  state: {
    status?: number
    bytes: number
    expected?: number
    abortReason?: 'stalled' | 'timeout'
    timeouts: FetchTimeouts
  }
): DownloadError {
  if (error instanceof DownloadError) {
    return new DownloadError(
      error.message,
      error.kind,
      error.retryable,
      error.status ?? state.status,
      state.bytes
    )
  }
  const seconds = (ms: number): string => formatDuration(ms)
  if (state.abortReason === 'stalled') {
    return new DownloadError(
      `stalled: no data for ${seconds(state.timeouts.stallMs)} after ${state.bytes} bytes`,
      'stalled',
      true,
      state.status,
      state.bytes
    )
  }
  if (state.abortReason === 'timeout') {
    return new DownloadError(
      `timed out after ${seconds(state.timeouts.attemptMs)} with ${state.bytes} bytes received`,
      'timeout',
      false,
      state.status,
      state.bytes
    )
  }
  const code = errorCode(error)
  const noConnection =
    code !== undefined &&
    (UNREACHABLE_CODES.has(code) || /CERT|TLS|SSL/.test(code))
  if (state.status === undefined && noConnection) {
    return new DownloadError(
      `could not connect (${code}): ${describeCause(error)}`,
      'unreachable',
      false
    )
  }
  if (state.status === undefined && code === undefined) {
    // fetch rejects some requests before connecting, such as a port that
    // browsers block ("bad port"); a retry fails the same way.
    return new DownloadError(
      `request failed: ${describeCause(error)}`,
      'unreachable',
      false
    )
  }
  if (state.expected !== undefined && state.bytes < state.expected) {
    return new DownloadError(
      `truncated: the connection closed after ${state.bytes} of ${state.expected} bytes (${describeCause(error)})`,
      'truncated',
      true,
      state.status,
      state.bytes
    )
  }
  return new DownloadError(
    `connection failed: ${describeCause(error)}`,
    'reset',
    true,
    state.status,
    state.bytes
  )
}

/** Copies a local file into `sink`; a missing file is `unreachable`. */
async function readFileOnce(url: string, sink: Sink): Promise<AttemptResult> {
  let bytes = 0
  try {
    for await (const chunk of createReadStream(fileURLToPath(url))) {
      const data = chunk as Buffer
      bytes += data.length
      await sink.write(data)
    }
    return { bytes }
  } catch (error) {
    const code = errorCode(error)
    throw new DownloadError(
      `could not read the file (${code ?? 'error'}): ${errorMessage(error)}`,
      code === 'ENOENT' || code === 'EACCES' ? 'unreachable' : 'reset',
      false,
      undefined,
      bytes
    )
  } finally {
    await sink.close()
  }
}

/**
 * Runs attempts until one succeeds, a failure is not worth retrying, or the
 * attempts run out. Logs and records each attempt.
 */
async function withRetries(
  url: string,
  fileKind: string,
  openSink: () => Promise<Sink>,
  options: DownloadOptions
): Promise<AttemptResult> {
  const { ui, timeouts } = options
  const masked = maskUrl(url)
  const isFile = url.startsWith('file:')
  const maxAttempts = isFile ? 1 : Math.max(1, timeouts.attempts)

  for (let number = 1; ; number++) {
    const started = Date.now()
    const sink = await openSink()
    try {
      const result = isFile
        ? await readFileOnce(url, sink)
        : await fetchOnce(url, sink, timeouts)
      const ms = Date.now() - started
      options.attempts.push({
        url: masked,
        status: result.status,
        bytes: result.bytes,
        ms
      })
      const status =
        result.status === undefined ? '' : `HTTP ${result.status}, `
      ui.info(
        `Downloaded ${fileKind} ${masked}: ${status}${formatBytes(result.bytes)} in ${formatDuration(ms)}`
      )
      return result
    } catch (caught) {
      const error =
        caught instanceof DownloadError
          ? caught
          : new DownloadError(errorMessage(caught), 'reset', false)
      const ms = Date.now() - started
      options.attempts.push({
        url: masked,
        status: error.status,
        bytes: error.bytes,
        ms,
        error: error.message
      })
      const retry = error.retryable && number < maxAttempts
      const delay = timeouts.backoffMs * 2 ** (number - 1)
      // Only a retryable failure counts against the attempts.
      const attempt = error.retryable
        ? `Attempt ${number} of ${maxAttempts} for ${fileKind} ${masked}`
        : `Download of ${fileKind} ${masked}`
      ui.info(
        `${attempt} failed after ${formatDuration(ms)}: ${error.message}` +
          (retry
            ? `; retrying in ${formatDuration(delay)}`
            : error.retryable
              ? ''
              : '; not retried')
      )
      if (!retry) throw error
      await sleep(delay)
    }
  }
}

/**
 * Downloads `url` into the file `destination` and returns its size and
 * digests. Throws DownloadError after the last failed attempt and deletes
 * the partial file.
 */
export async function downloadFile(
  url: string,
  destination: string,
  options: DownloadOptions
): Promise<Digests & { bytes: number }> {
  let sha256 = createHash('sha256')
  let sha512 = createHash('sha512')

  const openSink = async (): Promise<Sink> => {
    sha256 = createHash('sha256')
    sha512 = createHash('sha512')
    const handle = await fs.open(destination, 'w')
    return {
      async write(chunk) {
        sha256.update(chunk)
        sha512.update(chunk)
        try {
          await handle.write(chunk)
        } catch (error) {
          // A full disk does not get better with a retry.
          throw new DownloadError(
            `could not write ${destination}: ${errorMessage(error)}`,
            'write',
            false
          )
        }
      },
      close: () => handle.close()
    }
  }

  try {
    const result = await withRetries(url, 'archive', openSink, options)
    return {
      bytes: result.bytes,
      sha256: sha256.digest('hex'),
      sha512: sha512.digest('hex')
    }
  } catch (error) {
    await fs.rm(destination, { force: true })
    throw error
  }
}

/**
 * Downloads a small text file, such as a checksum list, into memory.
 * Throws DownloadError when it fails or exceeds `maxBytes`.
 */
export async function downloadText(
  url: string,
  options: DownloadOptions,
  maxBytes = 4 * 1024 * 1024
): Promise<string> {
  let chunks: Uint8Array[] = []
  let size = 0

  const openSink = async (): Promise<Sink> => {
    chunks = []
    size = 0
    return {
      async write(chunk) {
        size += chunk.length
        if (size > maxBytes) {
          throw new DownloadError(
            `larger than ${formatBytes(maxBytes)}, which is too large for a checksum file`,
            'too-large',
            false
          )
        }
        chunks.push(chunk)
      },
      close: async () => undefined
    }
  }

  await withRetries(url, 'checksum file', openSink, options)
  return Buffer.concat(chunks).toString('utf8')
}
