import { readFileSync } from 'node:fs'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly hitCount?: number
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface HotFunction {
  readonly name: string
  readonly where: string
  readonly selfMs: number
  readonly percent: number
}

/** Self time per function (summed over every node of it) from a `.cpuprofile`, largest first. */
export function topSelfTime(path: string, top = 15): HotFunction[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const totals = new Map<string, { name: string; where: string; us: number }>()
  let all = 0
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const us = profile.timeDeltas[i] ?? 0
    if (!node) return
    all += us
    const { functionName, url, lineNumber } = node.callFrame
    const where = url ? `${url.replace(/^.*\/(node_modules|packages|apps)\//, '$1/')}:${lineNumber + 1}` : ''
    const key = `${functionName}@${where}`
    const entry = totals.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 }
    entry.us += us
    totals.set(key, entry)
  })
  return [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({
      name: e.name,
      where: e.where,
      selfMs: e.us / 1000,
      percent: (100 * e.us) / Math.max(1, all),
    }))
}
