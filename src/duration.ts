const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 }

/**
 * Parses a duration such as `90s`, `5m`, `2h` or a bare number of seconds.
 * Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([smh]?)$/i.exec(text.trim())
  if (!match) return undefined
  const seconds =
    Number(match[1]) * UNIT_SECONDS[(match[2] || 's').toLowerCase()]
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined
}

/** Formats milliseconds for logs: `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  // The bounds sit where rounding would reach the next unit.
  if (ms < 999.5) return `${Math.round(ms)} ms`
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`
  const totalSeconds = Math.round(ms / 1000)
  const minutes = Math.floor(totalSeconds / 60)
  const seconds = String(totalSeconds % 60).padStart(2, '0')
  return `${minutes} min ${seconds} s`
}
