import { topSelfTime } from './lib/cpu-profile.js'

// `pnpm --filter @rec/bench profile <file.cpuprofile> [top]`: the functions that burn the CPU.
const [path, top = '20'] = process.argv.slice(2)
if (!path) {
  process.stderr.write('usage: profile-summary <file.cpuprofile> [top]\n')
  process.exit(1)
}
for (const hot of topSelfTime(path, Number(top))) {
  process.stdout.write(
    `${hot.percent.toFixed(1).padStart(5)} %  ${hot.selfMs.toFixed(0).padStart(7)} ms  ${hot.name}  ${hot.where}\n`,
  )
}
