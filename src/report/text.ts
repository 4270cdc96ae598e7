// Text helpers shared by the reporters: byte-size limits and escaping of test
// output, which may contain anything a test or the kernel printed.

/** Byte length of text in UTF-8, the unit of GitHub's size limits. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/**
 * Cuts text to at most maxBytes of UTF-8, marker included, without splitting
 * a character. Text that fits is returned unchanged.
 */
export function truncateUtf8(
  text: string,
  maxBytes: number,
  marker: string
): string {
  if (utf8Length(text) <= maxBytes) return text
  const room = Math.max(0, maxBytes - utf8Length(marker))
  const bytes = Buffer.from(text, 'utf8')
  let end = room
  // Step back over UTF-8 continuation bytes (10xxxxxx) to a character start.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString('utf8') + marker
}

/** Cuts one line to maxChars characters, marking the cut. */
export function truncateLine(line: string, maxChars: number): string {
  if (line.length <= maxChars) return line
  return `${line.slice(0, maxChars)} [${line.length - maxChars} more characters]`
}

// CSI and OSC terminal sequences, then every other C0 control character except
// tab, and DEL. A kernel or test can print them, and they mean nothing in
// Markdown or in an annotation.
// eslint-disable-next-line no-control-regex
const TERMINAL_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007?/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g

/** Removes terminal escape sequences and control characters from a line. */
export function cleanLine(line: string): string {
  return line.replace(TERMINAL_SEQUENCE, '').replace(CONTROL, '')
}

/** Cleans each line and splits lines that contain line breaks. */
export function cleanLines(lines: readonly string[]): string[] {
  return lines.flatMap(line => line.split(/\r?\n|\r/)).map(cleanLine)
}

/**
 * Escapes text for an HTML block such as `<pre>`. The first colon of a line
 * that starts with `::` becomes an entity. The summary still shows the text
 * as printed, but no line reads as a workflow command if the file is printed
 * to the log.
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replace(/^::/gm, '&#58;:')
}

/**
 * Escapes text for one line of Markdown, such as a table cell or a list item:
 * HTML is shown as text, Markdown punctuation loses its meaning and line
 * breaks become spaces.
 */
export function escapeMarkdownInline(text: string): string {
  // Backslashes first: escapeHtml then adds entities whose `&` and `#` must
  // stay unescaped.
  const markdown = cleanLines([text])
    .join(' ')
    .replace(/[\\`*_[\]|~#!]/g, '\\$&')
  return escapeHtml(markdown)
}
