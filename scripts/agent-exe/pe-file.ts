/**
 * Just enough of the PE/COFF format (Microsoft's "PE Format" specification) to prepare and check
 * the Windows executable without Windows: the headers, the section table, one resource by type and
 * name, the Authenticode certificate table and the image checksum.
 */

export const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
export const IMAGE_SUBSYSTEM_WINDOWS_CUI = 3;
export const RT_RCDATA = 10;
const PE32_PLUS = 0x20b;
const DIRECTORY_RESOURCE = 2;
const DIRECTORY_SECURITY = 4;

export interface PeSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  rawOffset: number;
  rawSize: number;
}

export interface PeHeaders {
  machine: number;
  subsystem: number;
  /** File offset of the CheckSum field. */
  checksumOffset: number;
  checksum: number;
  sections: PeSection[];
  /** RVA and size per data directory (the certificate table's "RVA" is a file offset). */
  directories: Array<{ address: number; size: number }>;
}

/** Reads the headers of a PE32+ image; throws on anything else. */
export function readPe(bytes: Buffer): PeHeaders {
  if (bytes.toString("latin1", 0, 2) !== "MZ") throw new Error("no MZ header");
  const pe = bytes.readUInt32LE(0x3c);
  if (bytes.toString("latin1", pe, pe + 4) !== "PE\0\0") throw new Error("no PE signature");
  const machine = bytes.readUInt16LE(pe + 4);
  const sectionCount = bytes.readUInt16LE(pe + 6);
  const optionalSize = bytes.readUInt16LE(pe + 20);
  const optional = pe + 24;
  if (bytes.readUInt16LE(optional) !== PE32_PLUS) throw new Error("not a PE32+ (64-bit) image");
  const directoryCount = bytes.readUInt32LE(optional + 108);
  const directories = Array.from({ length: directoryCount }, (_, i) => ({
    address: bytes.readUInt32LE(optional + 112 + i * 8),
    size: bytes.readUInt32LE(optional + 116 + i * 8),
  }));
  const table = optional + optionalSize;
  const sections = Array.from({ length: sectionCount }, (_, i) => {
    const at = table + i * 40;
    return {
      name: bytes.toString("latin1", at, at + 8).replace(/\0+$/, ""),
      virtualSize: bytes.readUInt32LE(at + 8),
      virtualAddress: bytes.readUInt32LE(at + 12),
      rawSize: bytes.readUInt32LE(at + 16),
      rawOffset: bytes.readUInt32LE(at + 20),
    };
  });
  return {
    machine,
    subsystem: bytes.readUInt16LE(optional + 68),
    checksumOffset: optional + 64,
    checksum: bytes.readUInt32LE(optional + 64),
    sections,
    directories,
  };
}

/** The image checksum as `CheckSumMappedFile` computes it (16-bit one's-complement sum + length). */
export function peChecksum(bytes: Buffer, checksumOffset: number): number {
  let sum = 0;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) {
    if (i === checksumOffset || i === checksumOffset + 2) continue;
    sum += bytes.readUInt16LE(i);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (bytes.length & 1) sum += bytes.readUInt8(bytes.length - 1);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ((sum & 0xffff) + bytes.length) >>> 0;
}

/** Writes the correct checksum into `bytes` (in place). */
export function fixChecksum(bytes: Buffer): void {
  const { checksumOffset } = readPe(bytes);
  bytes.writeUInt32LE(peChecksum(bytes, checksumOffset), checksumOffset);
}

/**
 * The image without its Authenticode signature (what `signtool remove /s` does): the certificate
 * table cut off the end and its directory entry zeroed. Injecting into a signed image would leave a
 * signature that no longer matches (postject warns "The signature seems corrupted").
 */
export function withoutSignature(bytes: Buffer): Buffer {
  const pe = readPe(bytes);
  const certificates = pe.directories[DIRECTORY_SECURITY];
  if (!certificates?.size) return bytes;
  const end = certificates.address + certificates.size;
  if (end > bytes.length || bytes.length - end >= 8)
    throw new Error("the certificate table is not at the end of the file");
  const out = Buffer.from(bytes.subarray(0, certificates.address));
  const entry = pe.checksumOffset - 64 + 112 + DIRECTORY_SECURITY * 8;
  out.writeUInt32LE(0, entry);
  out.writeUInt32LE(0, entry + 4);
  fixChecksum(out);
  return out;
}

/** The bytes of the resource `type`/`name` (first language), or undefined. */
export function findResource(bytes: Buffer, type: number, name: string): Buffer | undefined {
  const pe = readPe(bytes);
  const root = pe.directories[DIRECTORY_RESOURCE];
  if (!root?.size) return undefined;
  const toOffset = (rva: number) => {
    const s = pe.sections.find((x) => rva >= x.virtualAddress && rva < x.virtualAddress + x.rawSize);
    if (!s) throw new Error(`RVA ${rva} lies in no section`);
    return rva - s.virtualAddress + s.rawOffset;
  };
  const base = toOffset(root.address);
  const entries = (dir: number) => {
    const count = bytes.readUInt16LE(base + dir + 12) + bytes.readUInt16LE(base + dir + 14);
    return Array.from({ length: count }, (_, i) => {
      const at = base + dir + 16 + i * 8;
      const id = bytes.readUInt32LE(at);
      const target = bytes.readUInt32LE(at + 4);
      const label =
        id & 0x80000000
          ? bytes.toString(
              "utf16le",
              base + (id & 0x7fffffff) + 2,
              base + (id & 0x7fffffff) + 2 + 2 * bytes.readUInt16LE(base + (id & 0x7fffffff)),
            )
          : id;
      return { label, subdirectory: (target & 0x80000000) !== 0, offset: target & 0x7fffffff };
    });
  };
  const byType = entries(0).find((e) => e.label === type && e.subdirectory);
  const byName = byType && entries(byType.offset).find((e) => e.label === name && e.subdirectory);
  const language = byName && entries(byName.offset).find((e) => !e.subdirectory);
  if (!language) return undefined;
  const dataRva = bytes.readUInt32LE(base + language.offset);
  const size = bytes.readUInt32LE(base + language.offset + 4);
  const start = toOffset(dataRva);
  return bytes.subarray(start, start + size);
}
