/** The shape of `dist/assets.json`, what the API serves (see `build-assets.ts`). */
export interface Asset {
  type: string;
  /** base64 of the bytes. */
  body: string;
  /** base64 of the brotli-compressed bytes, when that is smaller. */
  br?: string;
  etag: string;
}

export type PageName = "dashboard" | "upload" | "guest";

export interface AssetBundle {
  /** Hashed asset path (`/app/assets/dashboard-AB12.js`) → asset. */
  assets: Record<string, Asset>;
  /** Page shells by name: the HTML that loads each page's script and styles. */
  pages: Record<PageName, string>;
  /** Bytes per page: script, its chunks and styles, raw and brotli. */
  sizes: Record<PageName, { raw: number; br: number }>;
}
