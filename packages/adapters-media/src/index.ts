export { MediabunnyMediaProbe } from './mediabunny-media-probe.js'
