import { runPost } from './toolchain/post.js'

await runPost()
