// downloadFile and downloadText against a scripted loopback server: status
// codes, retries, stalls, truncated and slow bodies.
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  type Attempt,
  DownloadError,
  type FetchTimeouts,
  downloadFile,
  downloadText
} from '../src/toolchain/download.js'
import type { Ui } from '../src/ui.js'
import { type TestServer, startServer } from './support/http-server.js'

const TIMEOUTS: FetchTimeouts = {
  attemptMs: 10_000,
  stallMs: 1000,
  attempts: 3,
  backoffMs: 10
}

const BODY = randomBytes(64 * 1024)

function quietUi(lines: string[]): Ui {
  return {
    info: message => void lines.push(message),
    debug: () => undefined,
    notice: () => undefined,
    warning: message => void lines.push(`warning: ${message}`),
    error: () => undefined,
    group: (_title, fn) => fn(),
    output: () => undefined,
    setOutput: () => undefined,
    addPath: () => undefined,
    appendSummary: async () => undefined
  }
}

let work: string
let server: TestServer
let lines: string[]
let attempts: Attempt[]

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'download-test-'))
  server = await startServer({ lifetimeMs: 30_000, maxRequests: 50 })
  lines = []
  attempts = []
})

afterEach(async () => {
  jest.restoreAllMocks()
  await server.close()
  await fs.rm(work, { recursive: true, force: true })
})

function options(timeouts: Partial<FetchTimeouts> = {}) {
  return {
    ui: quietUi(lines),
    timeouts: { ...TIMEOUTS, ...timeouts },
    attempts
  }
}

/** Returns a loopback port that was just closed, so connecting is refused. */
async function closedPort(): Promise<number> {
  const probe = await startServer()
  const port = Number(new URL(probe.origin).port)
  await probe.close()
  return port
}

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof DownloadError) return error
    throw error
  }
  throw new Error('the download succeeded')
}

describe('downloadFile', () => {
  it('saves the body and its digests', async () => {
    server.script('/a.tgz', { body: BODY })
    const target = path.join(work, 'a.tgz')

    const result = await downloadFile(server.url('/a.tgz'), target, options())

    expect(result.bytes).toBe(BODY.length)
    expect(result.sha256).toBe(createHash('sha256').update(BODY).digest('hex'))
    expect(result.sha512).toBe(createHash('sha512').update(BODY).digest('hex'))
    expect(await fs.readFile(target)).toEqual(BODY)
    expect(attempts).toHaveLength(1)
    expect(attempts[0].status).toBe(200)
    expect(lines[0]).toMatch(
      /^Downloaded archive http:\/\/127\.0\.0\.1:\d+\/a\.tgz: HTTP 200, 64\.0 KiB in /
    )
  })

  it('follows a redirect like GitHub release downloads', async () => {
    server.script('/a.tgz', { status: 302, location: '/objects/a.tgz' })
    server.script('/objects/a.tgz', { body: BODY })
    const target = path.join(work, 'a.tgz')

    const result = await downloadFile(server.url('/a.tgz'), target, options())

    expect(result.bytes).toBe(BODY.length)
    expect(server.requests).toEqual(['/a.tgz', '/objects/a.tgz'])
  })

  it('stops after too many redirects', async () => {
    server.script('/a.tgz', { status: 302, location: '/a.tgz' })

    const error = await failure(
      downloadFile(server.url('/a.tgz'), path.join(work, 'a'), options())
    )

    expect(error.message).toContain('more than 5 redirects')
  })

  it('reads a body whose server closes the connection', async () => {
    const large = randomBytes(8 * 1024 * 1024)
    server.script('/a.tgz', { body: large, closeAfter: true })
    const target = path.join(work, 'a.tgz')

    const result = await downloadFile(server.url('/a.tgz'), target, options())

    expect(result.sha256).toBe(createHash('sha256').update(large).digest('hex'))
  })

  it.each([403, 404])('does not retry HTTP %i', async status => {
    server.script('/a.tgz', { status })
    const target = path.join(work, 'a.tgz')

    const error = await failure(
      downloadFile(server.url('/a.tgz'), target, options())
    )

    expect(error.kind).toBe('http')
    expect(error.status).toBe(status)
    expect(server.count('/a.tgz')).toBe(1)
    expect(attempts).toHaveLength(1)
    await expect(fs.access(target)).rejects.toThrow()
  })

  it('retries HTTP 500 until the attempts run out', async () => {
    server.script('/a.tgz', { status: 500 })

    const error = await failure(
      downloadFile(server.url('/a.tgz'), path.join(work, 'a'), options())
    )

    expect(error.message).toContain('HTTP 500')
    expect(server.count('/a.tgz')).toBe(3)
    expect(attempts.map(a => a.status)).toEqual([500, 500, 500])
    expect(lines[0]).toContain('Attempt 1 of 3')
    expect(lines[0]).toContain('retrying in')
  })

  it('succeeds on 500 then 200', async () => {
    server.script('/a.tgz', { status: 500 }, { body: BODY })
    const target = path.join(work, 'a.tgz')

    const result = await downloadFile(server.url('/a.tgz'), target, options())

    expect(result.bytes).toBe(BODY.length)
    expect(server.count('/a.tgz')).toBe(2)
    expect(await fs.readFile(target)).toEqual(BODY)
  })

  it('retries a stalled body', async () => {
    server.script('/a.tgz', { body: BODY, stallAfter: 1000 }, { body: BODY })

    const result = await downloadFile(
      server.url('/a.tgz'),
      path.join(work, 'a'),
      options()
    )

    expect(result.bytes).toBe(BODY.length)
    expect(attempts[0].error).toContain(
      'stalled: no data for 1.0 s after 1000 bytes'
    )
    expect(attempts[0].bytes).toBe(1000)
  })

  it('fails when every attempt stalls', async () => {
    server.script('/a.tgz', { body: BODY, stallAfter: 10 })

    const error = await failure(
      downloadFile(
        server.url('/a.tgz'),
        path.join(work, 'a'),
        options({ attempts: 2 })
      )
    )

    expect(error.kind).toBe('stalled')
    expect(server.count('/a.tgz')).toBe(2)
  })

  it('retries a truncated body', async () => {
    server.script('/a.tgz', { body: BODY, truncateAfter: 4096 }, { body: BODY })

    const result = await downloadFile(
      server.url('/a.tgz'),
      path.join(work, 'a'),
      options()
    )

    expect(result.bytes).toBe(BODY.length)
    expect(attempts[0].error).toContain(`truncated`)
    expect(attempts[0].error).toContain(`of ${BODY.length} bytes`)
  })

  it('fails when every body is truncated', async () => {
    server.script('/a.tgz', { body: BODY, truncateAfter: 100 })
    const target = path.join(work, 'a')

    const error = await failure(
      downloadFile(server.url('/a.tgz'), target, options())
    )

    expect(error.kind).toBe('truncated')
    expect(server.count('/a.tgz')).toBe(3)
    await expect(fs.access(target)).rejects.toThrow()
  })

  it('accepts a slow body that keeps moving', async () => {
    server.script('/a.tgz', {
      body: BODY.subarray(0, 8192),
      chunkSize: 1024,
      delayMs: 200
    })

    const result = await downloadFile(
      server.url('/a.tgz'),
      path.join(work, 'a'),
      options()
    )

    expect(result.bytes).toBe(8192)
    expect(attempts).toHaveLength(1)
  })

  it('stops an attempt at its time limit', async () => {
    server.script('/a.tgz', {
      body: BODY.subarray(0, 8192),
      chunkSize: 512,
      delayMs: 200
    })

    const error = await failure(
      downloadFile(
        server.url('/a.tgz'),
        path.join(work, 'a'),
        options({ attemptMs: 500 })
      )
    )

    expect(error.kind).toBe('timeout')
    expect(server.count('/a.tgz')).toBe(1)
  })

  it('does not retry a refused connection', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/a.tgz`

    const error = await failure(
      downloadFile(url, path.join(work, 'a'), options())
    )

    expect(error.kind).toBe('unreachable')
    expect(error.message).toContain('ECONNREFUSED')
    expect(attempts).toHaveLength(1)
  })

  it('masks credentials in the log', async () => {
    server.script('/a.tgz', { body: BODY })
    const url =
      server.url('/a.tgz').replace('http://', 'http://user:secret@') +
      '?token=abc'

    await downloadFile(url, path.join(work, 'a'), options())

    expect(lines.join('\n')).not.toContain('secret')
    expect(lines.join('\n')).not.toContain('abc')
    expect(attempts[0].url).toContain('***:***@127.0.0.1')
  })

  it('copies a file URL', async () => {
    const source = path.join(work, 'source.tgz')
    await fs.writeFile(source, BODY)

    const result = await downloadFile(
      pathToFileURL(source).href,
      path.join(work, 'a'),
      options()
    )

    expect(result.bytes).toBe(BODY.length)
    expect(attempts[0].status).toBeUndefined()
  })

  it('reports a missing file URL as unreachable', async () => {
    const url = pathToFileURL(path.join(work, 'missing.tgz')).href

    const error = await failure(
      downloadFile(url, path.join(work, 'a'), options())
    )

    expect(error.kind).toBe('unreachable')
    expect(error.message).toContain('ENOENT')
  })
})

describe('downloadText', () => {
  it('returns the text', async () => {
    server.script('/SHA512SUMS', { body: Buffer.from('abc  x.tgz\n') })

    expect(await downloadText(server.url('/SHA512SUMS'), options())).toBe(
      'abc  x.tgz\n'
    )
  })

  it('rejects a file over the size limit', async () => {
    server.script('/SHA512SUMS', { body: BODY })

    const error = await failure(
      downloadText(server.url('/SHA512SUMS'), options(), 1024)
    )

    expect(error.kind).toBe('too-large')
    expect(server.count('/SHA512SUMS')).toBe(1)
  })
})
