export { type MatroskaHead, readMatroskaHead } from './matroska-head.js'
export { MediabunnyMediaProbe } from './mediabunny-media-probe.js'
export { MediabunnyMediaRemuxer } from './mediabunny-media-remuxer.js'
