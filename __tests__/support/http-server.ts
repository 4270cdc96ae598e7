// A scripted HTTP server on 127.0.0.1 for download tests. Each path has a
// list of responses, used one per request; the last one repeats. The
// server closes itself after a bounded time or number of requests, so a
// forgotten server cannot outlive the test run.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Reply =
  /** A status with a short text body, and a Location header when given. */
  | { readonly status: number; readonly location?: string }
  /** 200 with the whole body, then the connection closes (HTTP/1.0 style). */
  | { readonly body: Buffer; readonly closeAfter: true }
  /** 200 with the whole body. */
  | { readonly body: Buffer }
  /** 200 announcing the whole body, then `stallAfter` bytes, then silence. */
  | { readonly body: Buffer; readonly stallAfter: number }
  /** 200 announcing the whole body, then `truncateAfter` bytes, then a closed connection. */
  | { readonly body: Buffer; readonly truncateAfter: number }
  /** 200 with the body in chunks of `chunkSize` bytes, `delayMs` apart. */
  | {
      readonly body: Buffer
      readonly chunkSize: number
      readonly delayMs: number
    }

export interface ServerLimits {
  /** Maximum lifetime in ms; the server closes itself afterwards. */
  readonly lifetimeMs?: number
  /** Maximum number of requests; later ones get 503 and the server closes. */
  readonly maxRequests?: number
}

export interface TestServer {
  /** Base URL without a trailing slash, such as `http://127.0.0.1:40123`. */
  readonly origin: string
  url(path: string): string
  /** Sets the replies for `path`, replacing earlier ones. */
  script(path: string, ...replies: Reply[]): void
  /** Number of requests `path` received. */
  count(path: string): number
  /** Every request path in arrival order. */
  readonly requests: readonly string[]
  close(): Promise<void>
}

function send(
  response: http.ServerResponse,
  socket: Socket,
  reply: Reply
): void {
  if ('status' in reply) {
    const location = reply.location ? { location: reply.location } : {}
    response.writeHead(reply.status, {
      'content-type': 'text/plain',
      ...location
    })
    response.end(`status ${reply.status}\n`)
    return
  }
  const headers = {
    'content-type': 'application/octet-stream',
    'content-length': String(reply.body.length)
  }
  if ('closeAfter' in reply) {
    response.writeHead(200, { ...headers, connection: 'close' })
    response.end(reply.body, () => socket.end())
    return
  }
  response.writeHead(200, headers)
  if ('stallAfter' in reply) {
    // Keep the connection open without sending the rest.
    response.write(reply.body.subarray(0, reply.stallAfter))
    return
  }
  if ('truncateAfter' in reply) {
    response.write(reply.body.subarray(0, reply.truncateAfter), () => {
      socket.destroy()
    })
    return
  }
  if ('chunkSize' in reply) {
    let offset = 0
    const next = (): void => {
      if (response.destroyed) return
      if (offset >= reply.body.length) {
        response.end()
        return
      }
      response.write(reply.body.subarray(offset, offset + reply.chunkSize))
      offset += reply.chunkSize
      setTimeout(next, reply.delayMs).unref()
    }
    next()
    return
  }
  response.end(reply.body)
}

/** Starts a server on 127.0.0.1 with a port chosen by the system. */
export async function startServer(
  limits: ServerLimits = {}
): Promise<TestServer> {
  const lifetimeMs = limits.lifetimeMs ?? 60_000
  const maxRequests = limits.maxRequests ?? 500
  const scripts = new Map<string, Reply[]>()
  const served = new Map<string, number>()
  const requests: string[] = []

  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    requests.push(path)
    if (requests.length > maxRequests) {
      response.writeHead(503).end()
      void close()
      return
    }
    const index = served.get(path) ?? 0
    served.set(path, index + 1)
    const replies = scripts.get(path) ?? [{ status: 404 }]
    const reply = replies[Math.min(index, replies.length - 1)]
    send(response, request.socket, reply)
  })

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>(resolve => {
      clearTimeout(lifetime)
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return closing
  }
  const lifetime = setTimeout(() => void close(), lifetimeMs)
  lifetime.unref()

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`

  return {
    origin,
    url: path => `${origin}${path}`,
    script(path, ...replies) {
      scripts.set(path, replies)
      served.set(path, 0)
    },
    count: path => requests.filter(p => p === path).length,
    requests,
    close
  }
}
