import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { type RunControl } from '../src/buildrump/index.js'
import { type StopReason } from '../src/buildrump/run.js'
import { UserError } from '../src/errors.js'
import { StopSwitch } from '../src/stop.js'
import { RecordingUi } from './fixtures/reports/helpers.js'

type SignalHandler = (signal: NodeJS.Signals) => void

const switches: StopSwitch[] = []

/** Creates a StopSwitch that is disposed after the test. */
function makeSwitch(ui: RecordingUi, timeoutMs: number): StopSwitch {
  const stopSwitch = new StopSwitch(ui, timeoutMs)
  switches.push(stopSwitch)
  return stopSwitch
}

/** Creates a RunControl that records each stop reason it gets. */
function recordingControl(): RunControl & { reasons: StopReason[] } {
  const reasons: StopReason[] = []
  return {
    reasons,
    stop: async (reason: StopReason) => {
      reasons.push(reason)
    }
  }
}

/** Returns the UserError that `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('the promise resolved')
}

/** Creates a switch and returns the handler it added for `signal`. */
function switchWithHandler(
  ui: RecordingUi,
  signal: NodeJS.Signals
): { stopSwitch: StopSwitch; handler: SignalHandler } {
  const before = process.listeners(signal)
  const stopSwitch = makeSwitch(ui, 0)
  const added = process
    .listeners(signal)
    .filter(listener => !before.includes(listener))
  if (added.length !== 1) {
    throw new Error(`expected one new ${signal} listener, got ${added.length}`)
  }
  return { stopSwitch, handler: added[0] as SignalHandler }
}

const never = new Promise<never>(() => undefined)

afterEach(() => {
  for (const stopSwitch of switches.splice(0)) stopSwitch.dispose()
})

describe('StopSwitch race', () => {
  it('StopSwitch race returns the step result', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)

    await expect(stopSwitch.race(Promise.resolve(42))).resolves.toBe(42)
  })

  it('StopSwitch race passes on a step error', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)

    await expect(
      stopSwitch.race(Promise.reject(new Error('apt-get failed')))
    ).rejects.toThrow('apt-get failed')
  })

  it('StopSwitch race rejects on timeout', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 50)

    const error = await rejection(stopSwitch.race(never))

    expect(error.message).toBe(
      'The run timed out after 50 ms, before buildrump.sh started. Raise the timeout input.'
    )
  })

  it('StopSwitch timeout sets reason timeout', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 50)

    await rejection(stopSwitch.race(never))

    expect(stopSwitch.reason).toBe('timeout')
  })

  it('StopSwitch timeout warns once', async () => {
    const ui = new RecordingUi()
    const stopSwitch = makeSwitch(ui, 50)

    await rejection(stopSwitch.race(never))

    expect(ui.of('warning').map(call => call.message)).toEqual([
      'The run timed out after 50 ms: stopping it and writing the report'
    ])
  })

  it('StopSwitch race after a stop rejects at once', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)
    await stopSwitch.stop('cancelled')

    const error = await rejection(stopSwitch.race(never))

    expect(error.message).toBe(
      'The run was cancelled before buildrump.sh started.'
    )
  })

  it('StopSwitch zero timeout never fires', async () => {
    jest.useFakeTimers()
    try {
      const stopSwitch = makeSwitch(new RecordingUi(), 0)

      jest.advanceTimersByTime(2 ** 31 - 1)

      expect(stopSwitch.reason).toBeUndefined()
    } finally {
      jest.useRealTimers()
    }
  })

  it('StopSwitch dispose clears the timer', async () => {
    jest.useFakeTimers()
    try {
      const stopSwitch = makeSwitch(new RecordingUi(), 1000)

      stopSwitch.dispose()
      jest.advanceTimersByTime(5000)

      expect(stopSwitch.reason).toBeUndefined()
    } finally {
      jest.useRealTimers()
    }
  })
})

describe('StopSwitch attach and stop', () => {
  it('StopSwitch stop reaches an attached control', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)
    const control = recordingControl()
    stopSwitch.attach(control)

    await stopSwitch.stop('timeout')

    expect(control.reasons).toEqual(['timeout'])
  })

  it('StopSwitch late attach is stopped at once', () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)
    void stopSwitch.stop('cancelled')
    const control = recordingControl()

    stopSwitch.attach(control)

    expect(control.reasons).toEqual(['cancelled'])
  })

  it('StopSwitch attach without a stop does nothing', () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)
    const control = recordingControl()

    stopSwitch.attach(control)

    expect(control.reasons).toEqual([])
  })

  it('StopSwitch second stop keeps the first reason', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)
    await stopSwitch.stop('timeout')

    await stopSwitch.stop('cancelled')

    expect(stopSwitch.reason).toBe('timeout')
  })

  it('StopSwitch second stop does not stop again', async () => {
    const stopSwitch = makeSwitch(new RecordingUi(), 0)
    const control = recordingControl()
    stopSwitch.attach(control)
    await stopSwitch.stop('timeout')

    await stopSwitch.stop('cancelled')

    expect(control.reasons).toEqual(['timeout'])
  })
})

describe('StopSwitch signals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'StopSwitch adds one %s listener',
    signal => {
      const before = process.listenerCount(signal)

      makeSwitch(new RecordingUi(), 0)

      expect(process.listenerCount(signal)).toBe(before + 1)
    }
  )

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'StopSwitch dispose removes the %s listener',
    signal => {
      const before = process.listenerCount(signal)
      const stopSwitch = makeSwitch(new RecordingUi(), 0)

      stopSwitch.dispose()

      expect(process.listenerCount(signal)).toBe(before)
    }
  )

  it('StopSwitch first SIGTERM cancels the run', () => {
    const { stopSwitch, handler } = switchWithHandler(
      new RecordingUi(),
      'SIGTERM'
    )

    handler('SIGTERM')

    expect(stopSwitch.reason).toBe('cancelled')
  })

  it('StopSwitch first SIGTERM warns', () => {
    const ui = new RecordingUi()
    const { handler } = switchWithHandler(ui, 'SIGTERM')

    handler('SIGTERM')

    expect(ui.of('warning').map(call => call.message)).toEqual([
      'Received SIGTERM: stopping the run and writing the report'
    ])
  })

  it('StopSwitch first SIGTERM keeps the listeners', () => {
    const { handler } = switchWithHandler(new RecordingUi(), 'SIGTERM')

    handler('SIGTERM')

    expect(process.listeners('SIGTERM')).toContain(handler)
  })

  it('StopSwitch first SIGINT stops a control', () => {
    const { stopSwitch, handler } = switchWithHandler(
      new RecordingUi(),
      'SIGINT'
    )
    const control = recordingControl()
    stopSwitch.attach(control)

    handler('SIGINT')

    expect(control.reasons).toEqual(['cancelled'])
  })

  it('StopSwitch first SIGTERM rejects race', async () => {
    const { stopSwitch, handler } = switchWithHandler(
      new RecordingUi(),
      'SIGTERM'
    )
    const raced = stopSwitch.race(never)

    handler('SIGTERM')

    await expect(raced).rejects.toThrow(
      'The run was cancelled before buildrump.sh started.'
    )
  })
})
