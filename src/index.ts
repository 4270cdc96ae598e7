import { run } from './main.js'

await run()
// A step abandoned by a cancel or timeout (a stalled download, say) would
// keep the event loop alive; the report is written, so the step ends here.
process.exit()
