import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

export interface Row {
  readonly figure: string
  readonly service: string
  readonly baseline: string
  readonly ratio: string
  readonly target: string
  /** null: informational, no target. */
  readonly met: boolean | null
}

export interface Report {
  readonly rows: Row[]
  /** Free-form sections (plans, profiles, per-round lines), in order. */
  readonly sections: { title: string; body: string }[]
}

export function newReport(): Report {
  return { rows: [], sections: [] }
}

const cell = (text: string): string => text.replace(/\|/g, '\\|')

export function writeReport(
  path: string,
  report: Report,
  meta: { command: string; wallSeconds: number; quick: boolean },
): void {
  const cpu = cpus()
  const lines = [
    '# Benchmark results',
    '',
    ...(meta.quick
      ? ['**Quick run (BENCH_QUICK=1): short windows and fewer streams; not the figures of record.**', '']
      : []),
    `- Machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `- Node.js ${process.version}, ${process.platform}/${process.arch}`,
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`${meta.command}\` (wall time ${Math.round(meta.wallSeconds)} s)`,
    '',
    'Each figure is the median of several rounds, run alternately against the service and its',
    'baseline in the same run, because the machine is shared and noisy. Ratios are service ÷ baseline.',
    '',
    '| figure | service | baseline | ratio | target | met? |',
    '|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${cell(r.figure)} | ${cell(r.service)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${cell(r.target)} | ${
          r.met === null ? '—' : r.met ? 'yes' : '**no**'
        } |`,
    ),
    '',
    ...report.sections.flatMap((s) => [`## ${s.title}`, '', s.body, '']),
  ]
  writeFileSync(path, lines.join('\n'))
}
