/**
 * The public shapes of `@photo-relay/imaging`. The convert Lambda codes against these names; change
 * them only together with `packages/pipeline`.
 */
import type { FrameAnalysis } from "./frame-analysis.ts";
import type { InstagramRefusal } from "./instagram-rules.ts";

/** The three outputs every photo gets. */
export type Rendition = "instagram" | "web" | "thumbnail";

export interface RenditionOptions {
  /** Width of the Instagram JPEG (1080 by default; Instagram accepts 320…1440). */
  instagramWidth: number;
  /** Longest edge of the web JPEG (2048 by default); smaller sources are never enlarged. */
  webLongEdge: number;
  /** Longest edge of the WebP thumbnail (400 by default). */
  thumbnailLongEdge: number;
  /** Starting JPEG quality (88 by default); the Instagram JPEG steps down only to stay under 8 MB. */
  jpegQuality: number;
  /** How a photo outside Instagram's 4:5 … 1.91:1 is brought inside: pad (no pixel lost) or crop (attention). */
  aspect: "pad" | "crop";
  /** Inputs declaring more pixels than this are refused before decoding (decompression bombs). */
  maxInputPixels: number;
  /** What fills the padding when `aspect` is `pad`: a blurred copy of the photo (default) or a solid colour. */
  padBackground?: "blur" | "white" | "black";
  /** EXIF fields copied into the outputs; everything else (GPS first) is always stripped. */
  keep?: { artist?: boolean; copyright?: boolean };
}

export interface RenderedImage {
  data: Buffer;
  contentType: string;
  width: number;
  height: number;
}

/** When the shutter fired, as precisely as the file says (EXIF DateTimeOriginal + SubSecTimeOriginal + OffsetTimeOriginal). */
export interface CaptureTime {
  /** ISO 8601 as the camera wrote it, with milliseconds when it recorded sub-seconds and the UTC offset when it recorded one: "2024-06-01T12:34:56.370+02:00". */
  iso: string;
  /**
   * Milliseconds since the Unix epoch. With an offset, the true instant; without one, the camera's
   * wall clock read as UTC: right for the gaps between frames of one camera, not across time zones.
   */
  epochMs: number;
  /** The file recorded its UTC offset (`epochMs` is a true instant). */
  hasOffset: boolean;
  /** The file recorded sub-seconds; without them, frames shot within one second share a time. */
  hasSubSeconds: boolean;
}

/** The body that took the photo, for telling one camera's burst from another's. */
export interface CaptureDevice {
  /** EXIF Make as written ("NIKON CORPORATION", "Apple"). */
  make?: string;
  /** EXIF Model as written ("NIKON D800", "iPhone 11 Pro"); for a phone, the device model. */
  model?: string;
  /** The body's serial number (EXIF BodySerialNumber, DNG CameraSerialNumber, XMP aux:SerialNumber). */
  serial?: string;
}

export interface PhotoMetadata {
  /** Detected from magic bytes, e.g. "jpeg", "png", "webp", "heic", "nef". */
  format: string;
  /** Upright dimensions (after EXIF or RAW orientation) of the image the renditions were made from. */
  width: number;
  height: number;
  orientation?: number;
  /** ISO 8601 to the second, with the camera's UTC offset when the file records one. */
  captureTime?: string;
  /** The capture time with sub-seconds, for ordering and grouping frames of a burst. */
  capture?: CaptureTime;
  /** "Make Model" shortened for display ("NIKON D800"). */
  camera?: string;
  /** Make, model and serial as the file records them, for grouping by body. */
  device?: CaptureDevice;
  lens?: string;
  caption?: string;
  artist?: string;
  copyright?: string;
}

interface ImageResultBase {
  kind: "image";
  metadata: PhotoMetadata;
  /** The per-frame analysis behind "best of the burst": perceptual hash and quality scores. */
  analysis: FrameAnalysis;
}

/** A photo with all three renditions: it may be posted. */
export interface PublishableImage extends ImageResultBase {
  instagram: { status: "ready" };
  renditions: Record<Rendition, RenderedImage>;
}

/**
 * A photo that must not be posted: the web and thumbnail renditions are made, the Instagram one is
 * not, and `instagram` says why (record it as "Instagram rendition refused: <code>: <reason>").
 */
export interface UnpublishableImage extends ImageResultBase {
  instagram: InstagramRefusal;
  renditions: Record<Exclude<Rendition, "instagram">, RenderedImage>;
}

/**
 * A converted photo. `renditions.instagram` exists only once `instagram.status` is narrowed to
 * "ready", so a caller cannot post a photo the rules refused without the compiler noticing.
 */
export type ConvertResult = PublishableImage | UnpublishableImage;

/** What an MP4/MOV says about itself, read from its boxes without decoding a frame. */
export interface VideoProbe {
  container: "mp4" | "mov";
  /** The ftyp major brand, e.g. "isom", "qt  ", "mp42". */
  brand?: string;
  sizeBytes: number;
  durationSeconds: number;
  /** Display size after the track matrix's rotation. */
  width: number;
  height: number;
  /** Average frames per second (sample count over media duration). */
  frameRate: number;
  /** Normalised codec name: "h264", "hevc", or the raw sample-entry type. */
  videoCodec: string;
  /** Average video bitrate in bits per second. */
  videoBitrate: number;
  /** 4:2:0 = "420"; undefined when the decoder configuration does not say. */
  chroma?: "400" | "420" | "422" | "444";
  rotation: 0 | 90 | 180 | 270;
  audio?: { codec: string; sampleRate: number; channels: number };
  /** The moov box comes before mdat, so playback can start while downloading. */
  faststart: boolean;
  /** A track carries an edit list that does more than shift its start (real edits). */
  editList: boolean;
}

export interface VideoResult {
  kind: "video";
  probe: VideoProbe;
  reels: { eligible: boolean; violations: string[] };
}

export type FormatKind = "image" | "raw" | "video" | "unsupported";

/** A file's real format, from its magic bytes. */
export interface DetectedFormat {
  /** e.g. "jpeg", "png", "webp", "gif", "tiff", "avif", "heic", "nef", "cr2", "arw", "dng", "orf", "mp4", "mov". */
  format: string;
  kind: FormatKind;
  mimeType: string;
}
