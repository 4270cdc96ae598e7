import { describe, expect, it } from '@jest/globals'
import { formatDuration, parseDuration } from '../src/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['45', 45_000],
    ['0', 0],
    ['0s', 0],
    ['1.5m', 90_000],
    ['0.25s', 250],
    ['5M', 300_000],
    ['2H', 7_200_000],
    ['5 m', 300_000],
    [' 90s\n', 90_000],
    ['007s', 7000]
  ])('parseDuration %j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each([
    '',
    '   ',
    's',
    '5x',
    '5ms',
    '5d',
    '-5s',
    '+5s',
    '.5m',
    '5.m',
    '1e3',
    '5m30s',
    '5 5s',
    'Infinity',
    'NaN',
    '0x10'
  ])('parseDuration %j is not a duration', text => {
    expect(parseDuration(text)).toBeUndefined()
  })

  it('parseDuration overflow is not a duration', () => {
    expect(parseDuration(`${'9'.repeat(400)}h`)).toBeUndefined()
  })

  it('parseDuration rounds to whole ms', () => {
    expect(parseDuration('0.0004s')).toBe(0)
  })
})

describe('formatDuration', () => {
  it.each([
    [999.4, '999 ms'],
    [999.6, '1.0 s'],
    [59_940, '59.9 s'],
    [59_960, '1 min 00 s']
  ])('formatDuration %d rounds into the next unit', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it.each([
    [0, '0 ms'],
    [1, '1 ms'],
    [850, '850 ms'],
    [12.4, '12 ms'],
    [999, '999 ms'],
    [1000, '1.0 s'],
    [1049, '1.0 s'],
    [12_345, '12.3 s'],
    [59_900, '59.9 s'],
    [60_000, '1 min 00 s'],
    [65_000, '1 min 05 s'],
    [245_000, '4 min 05 s'],
    [599_400, '9 min 59 s'],
    [3_600_000, '60 min 00 s']
  ])('formatDuration %d ms is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
