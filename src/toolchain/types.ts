import type { Arch } from '../arches.js'
import type { CacheService } from './cache.js'
import type { FetchTimeouts } from './download.js'
import type { ToolchainSource } from './sources.js'
import type { Ui } from '../ui.js'

export interface ToolchainRequest {
  readonly arch: Arch
  /** URL templates from toolchain-url; empty selects the built-in sources. */
  readonly urls: readonly string[]
  /** Expected sha256 of the archive (toolchain-sha256). */
  readonly sha256?: string
  /** Installed toolchain to use instead of a download (toolchain-path). */
  readonly toolchainPath?: string
  /** Whether the GitHub cache is used to restore and save the toolchain. */
  readonly cache: boolean
}

export interface ToolchainServices {
  /** GitHub cache; defaults to @actions/cache. */
  readonly cache?: CacheService
  /** Tool cache root; defaults to RUNNER_TOOL_CACHE. */
  readonly toolCacheDir?: string
  /** Folder for downloads and extraction; defaults to RUNNER_TEMP, then the OS temp folder. */
  readonly tempDir?: string
  readonly fetchTimeouts?: Partial<FetchTimeouts>
  /** Replaces the built-in source list, so tests can use a loopback server. */
  readonly builtInSources?: (arch: Arch) => readonly ToolchainSource[]
}

/** A toolchain that is ready to use, and where it came from. */
export interface Toolchain {
  /** Toolchain folder, the parent of `bin/`. */
  readonly dir: string
  readonly binDir: string
  /** Tool name prefix, such as `powerpc-linux-musl-` or `powerpc-unknown-linux-musl-`. */
  readonly prefix: string
  /** Absolute path of the C compiler. */
  readonly cc: string
  readonly gccVersion: string
  /** Output of `cc -dumpmachine`, which may differ from the prefix. */
  readonly dumpMachine: string
  /** `toolchain-path`, `tool-cache`, `github-cache`, or the URL with credentials masked. */
  readonly source: string
  /** True when the toolchain came from the tool cache or the GitHub cache. */
  readonly cacheHit: boolean
  /** sha256 of the archive, when it is known. */
  readonly sha256?: string
  /** GitHub cache key to save under; absent when there is nothing to save. */
  readonly cacheKey?: string
  /** Folder that saveToolchainCache saves under cacheKey. */
  readonly cachePath?: string
}

/** Settings shared by the steps of the toolchain search, resolved once per request. */
export interface StepContext {
  readonly arch: Arch
  readonly ui: Ui
  readonly sources: readonly ToolchainSource[]
  readonly toolCacheRoot: string
  readonly tempDir: string
  readonly timeouts: FetchTimeouts
  /** Undefined when the request turned the GitHub cache off. */
  readonly cache?: CacheService
}
