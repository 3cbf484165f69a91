// PNG text chunks (tEXt): how a picture carries its Scene, so an edit can read what was drawn and draw
// it again. Written by hand because sharp keeps but does not write arbitrary text chunks; the format is
// length, type, data, CRC-32 (PNG specification, section 5.3).
import { crc32 } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** `png` with a tEXt chunk `keyword` = `text` (Latin-1) inserted before IEND. */
export function withPngText(png: Buffer, keyword: string, text: string): Buffer {
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

/** The text of the first tEXt chunk named `keyword`, or undefined (also for anything not a PNG). */
export function readPngText(png: Buffer, keyword: string): string | undefined {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) return undefined;
  let at = 8;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    const dataStart = at + 8;
    if (dataStart + length + 4 > png.length) return undefined;
    if (type === "tEXt") {
      const data = png.subarray(dataStart, dataStart + length);
      const nul = data.indexOf(0);
      if (nul > 0 && data.toString("latin1", 0, nul) === keyword) {
        return data.toString("latin1", nul + 1);
      }
    }
    if (type === "IEND") return undefined;
    at = dataStart + length + 4;
  }
  return undefined;
}
