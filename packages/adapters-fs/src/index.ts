export { BlobNotFoundError } from './errors.js'
export { FsBlobStore, type FsBlobStoreOptions } from './fs-blob-store.js'
