import { run } from './main.js'

await run()
// A step abandoned by a cancel or timeout, such as a stalled download, would
// keep the event loop alive. The report is written by now, so exit.
process.exit()
