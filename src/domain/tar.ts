// A minimal ustar writer: regular files only, names under 100 bytes, without external binaries. The
// account archive is made in memory (a user's own posts and images, bounded by their uploads); a dataset
// export writes entry after entry to a file (tarEntry, TAR_END), as it may hold a whole instance's images.
// Headers carry nothing but the name, size and given mtime, so the same entries give the same bytes.
const BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive (ASCII, under 100 bytes). */
  name: string;
  bytes: Uint8Array;
  mtime?: Date;
}

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, Math.min(length, Buffer.byteLength(value)), "ascii");
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

function headerFor(entry: TarEntry): Buffer {
  if (!/^[\x20-\x7e]{1,99}$/.test(entry.name) || entry.name.includes("..")) {
    throw new Error(`Unsupported archive path: ${entry.name}`);
  }
  const header = Buffer.alloc(BLOCK, 0);
  writeString(header, 0, 100, entry.name);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, entry.bytes.byteLength);
  writeOctal(header, 136, 12, Math.floor((entry.mtime ?? new Date(0)).getTime() / 1000));
  header.fill(" ", 148, 156); // the checksum is computed with its own field as spaces
  header.write("0", 156, "ascii"); // regular file
  writeString(header, 257, 6, "ustar\0");
  writeString(header, 263, 2, "00");
  writeString(header, 265, 32, "atelier");
  writeString(header, 297, 32, "atelier");
  let sum = 0;
  for (const byte of header) sum += byte;
  writeString(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

/** One entry as it is written into the archive: its header, its bytes, the padding to a block. */
export function tarEntry(entry: TarEntry): Buffer[] {
  const parts = [headerFor(entry), Buffer.from(entry.bytes)];
  const pad = (BLOCK - (entry.bytes.byteLength % BLOCK)) % BLOCK;
  if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  return parts;
}

/** What ends an archive: two empty blocks. */
export const TAR_END: Uint8Array = new Uint8Array(BLOCK * 2);

/** A tar archive of the entries (ustar, uncompressed). */
export function createTar(entries: TarEntry[]): Buffer {
  return Buffer.concat([...entries.flatMap(tarEntry), TAR_END]);
}
