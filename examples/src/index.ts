export {
  type EmbeddedRecorder,
  type EmbeddedRecorderOptions,
  openEmbeddedRecorder,
} from './embedded-recorder.js'
export { type RecordSourceOptions, recordSource } from './record-source.js'
