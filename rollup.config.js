// Bundles each entry point into dist/ so the runner needs no node_modules.
// Shared code goes into dist/chunks; the output is not minified so that a
// stack trace in a user's log points at readable code.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

/** @type {import("rollup").RollupOptions} */
const config = {
  input: {
    index: 'src/index.ts',
    post: 'src/post.ts',
    cli: 'src/cli.ts',
    report: 'src/report-action.ts'
  },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    sourcemap: false
  },
  plugins: [
    typescript({ tsconfig: './tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json()
  ],
  onwarn(warning, warn) {
    // The toolkit's dependencies use `this` at module level and have
    // circular imports; neither affects the bundle.
    if (
      warning.code === 'THIS_IS_UNDEFINED' ||
      warning.code === 'CIRCULAR_DEPENDENCY'
    )
      return
    warn(warning)
  }
}

export default config
