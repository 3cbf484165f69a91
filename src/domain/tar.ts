// A minimal ustar writer for the account archive: regular files only, names under 100 bytes, made in
// memory without external binaries (archives are a user's own posts and images, bounded by their uploads).
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

/** A tar archive of the entries (ustar, uncompressed). */
export function createTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(headerFor(entry), Buffer.from(entry.bytes));
    const pad = (BLOCK - (entry.bytes.byteLength % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0)); // end of archive: two empty blocks
  return Buffer.concat(parts);
}
