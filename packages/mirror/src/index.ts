/**
 * Mirroring renditions to a web host: small transports (local folder, FTPS, SFTP, S3) behind one
 * contract, sessions that fall back from one transport to the next, and the live event gallery a
 * session keeps in a folder of the target (`updateGallery`, see README.md).
 * @example
 * const session = Mirror.openSession(target, { logger });
 * try { const { publicUrl } = await session.put({ data, name: `${id}-web.jpg`, date, id, rendition: "web" }); }
 * finally { await session.close(); }
 */
export {
  GalleryError,
  type GalleryErrorCode,
  type MirrorAttempt,
  MirrorError,
  TransportError,
  type TransportErrorCode,
} from "./errors.ts";
export {
  type GalleryBatch,
  type GalleryOptions,
  type GalleryResult,
  type GallerySession,
  type GallerySettings,
  type GalleryUpload,
  gallerySettingsSchema,
  updateGallery,
} from "./gallery/gallery.ts";
export {
  type GalleryEntry,
  type GalleryManifest,
  type GalleryPhoto,
  galleryManifestSchema,
  galleryPageSchema,
} from "./gallery/manifest.ts";
export { assertPublicImage, type PublicImage } from "./gallery/public-image.ts";
export { publicUrl, renderPath } from "./path-template.ts";
export {
  createTransport,
  parseTransportOptions,
  type TransportDeps,
  type TransportOptions,
  type TransportOptionsInput,
  transportOptionsSchema,
} from "./registry.ts";
export {
  type MirrorFile,
  type MirrorResult,
  type MirrorSession,
  type MirrorTarget,
  openSession,
  type SessionDeps,
} from "./session.ts";
export type { PutOptions, Transport } from "./transport.ts";
export { sshFingerprint } from "./transports/sftp.ts";
