// URL helpers shared by the source list, the downloads and the log lines.

const SECRET_QUERY_NAME =
  /token|secret|password|passwd|signature|sig|credential|auth|key/i

/**
 * Replaces credentials in a URL with `***` so that it can be logged: the
 * user name and password, and the values of query parameters whose names
 * look like tokens or signatures (as in presigned object store URLs).
 * Text that is not a URL is returned unchanged.
 */
export function maskUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return text
  }
  if (url.username) url.username = '***'
  if (url.password) url.password = '***'
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_NAME.test(name)) url.searchParams.set(name, '***')
  }
  // URL escapes the asterisks it inserted; keep the log readable.
  return url.href.replaceAll('%2A%2A%2A', '***')
}

/** Returns the last path segment of a URL, decoded, such as `x.tar.xz`. */
export function urlFileName(text: string): string {
  const pathname = new URL(text).pathname
  const segment = pathname.slice(pathname.lastIndexOf('/') + 1)
  return decodeURIComponent(segment)
}
