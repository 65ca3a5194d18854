import { writeFileSync } from 'node:fs'
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/** One target at one point of the scaling curve. */
export interface ScalePoint {
  readonly target: string
  readonly streams: number
  readonly keptUp: number
  readonly p99Ms: number
  /** Server CPU (utime + stime) per stream: ms of CPU per second of streaming. */
  readonly cpuMsPerStream: number
  /** Server peak RSS (VmHWM) divided by the stream count, in KB. */
  readonly rssKbPerStream: number
}

const panel = (
  counts: readonly number[],
  field: keyof ScalePoint,
  title: string,
  log: boolean,
  extra: object = {},
): object => ({
  width: 260,
  height: 220,
  layer: [
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'streams',
          type: 'quantitative',
          // The tried counts, on a log axis that ends near them.
          scale: {
            type: 'log',
            nice: false,
            domain: [Math.min(...counts) * 0.8, Math.max(...counts) * 1.25],
          },
          axis: { values: counts, format: ',d' },
          title: 'streams (64 kbit/s each)',
        },
        y: { field, type: 'quantitative', title, ...(log ? { scale: { type: 'log' } } : {}) },
        color: { field: 'target', type: 'nominal', title: null },
      },
    },
    ...(Object.keys(extra).length ? [extra] : []),
  ],
})

/**
 * The scaling curve as an SVG, drawn by Vega-Lite (rendered headless, no canvas): ack p99 on a
 * log axis with the 100 ms line, CPU per stream and RSS per stream, service against raw.
 */
export async function writeScalingSvg(
  path: string,
  points: readonly ScalePoint[],
  title: string,
): Promise<void> {
  const counts = [...new Set(points.map((p) => p.streams))].sort((a, b) => a - b)
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: points.filter((p) => Number.isFinite(p.p99Ms) && p.p99Ms > 0) },
    hconcat: [
      panel(counts, 'p99Ms', 'ack p99 (ms, log)', true, {
        data: { values: [{ y: 100 }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      }),
      panel(counts, 'cpuMsPerStream', 'server CPU per stream (ms/s)', false),
      panel(counts, 'rssKbPerStream', 'server peak RSS per stream (KB, log)', true),
    ],
    config: { font: 'sans-serif' },
  } as unknown as TopLevelSpec
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    writeFileSync(path, await view.toSVG())
  } finally {
    view.finalize()
  }
}
