// PNG text chunks (tEXt): how a generated picture carries what its generator drew (the local
// generator's Scene), so an edit can read it back. Written by hand because sharp neither writes nor
// keeps arbitrary text chunks; the format is length, type, data, CRC-32 (PNG specification, 5.3).
import { crc32 } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whether the bytes start with the PNG signature. */
export const isPng = (bytes: Uint8Array) =>
  bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(SIGNATURE);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** `png` with a tEXt chunk `keyword` = `text` (Latin-1) inserted before IEND. */
export function withPngText(png: Buffer, keyword: string, text: string): Buffer<ArrayBuffer> {
  const end = png.length - 12;
  if (
    !png.subarray(0, 8).equals(SIGNATURE) ||
    png.toString("latin1", end + 4, end + 8) !== "IEND"
  ) {
    throw new Error("Not a PNG ending in IEND");
  }
  const body = Buffer.concat([
    Buffer.from(keyword, "latin1"),
    Buffer.from([0]),
    Buffer.from(text, "latin1"),
  ]);
  return Buffer.concat([png.subarray(0, end), chunk("tEXt", body), png.subarray(end)]);
}

/** Every tEXt chunk of a PNG as [keyword, text] pairs, in order; none for anything not a PNG. */
export function pngTexts(png: Uint8Array): [string, string][] {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) return [];
  const texts: [string, string][] = [];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const dataStart = at + 8;
    if (dataStart + length + 4 > bytes.length || type === "IEND") break;
    if (type === "tEXt") {
      const data = bytes.subarray(dataStart, dataStart + length);
      const nul = data.indexOf(0);
      if (nul > 0) texts.push([data.toString("latin1", 0, nul), data.toString("latin1", nul + 1)]);
    }
    at = dataStart + length + 4;
  }
  return texts;
}

/** The text of the first tEXt chunk named `keyword`, or undefined (also for anything not a PNG). */
export function readPngText(png: Uint8Array, keyword: string): string | undefined {
  return pngTexts(png).find(([k]) => k === keyword)?.[1];
}
