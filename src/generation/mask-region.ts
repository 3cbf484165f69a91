// An inpainting mask given as a rectangle rather than a drawn PNG: what the studio's inpaint form sends
// when the browser runs no script (or the user types the region with the keyboard). The rectangle is in
// percent of the picture, so it holds whatever the image's size; the mask is built at the parent image's
// own size, as a drawn one must be, and then checked like any other.
import { badRequest } from "../errors.ts";
import { sharp } from "../media/sharp.ts";

/** A rectangle in percent of the image: its left and top edges, its width and height. */
export interface MaskRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Throws 400 unless the rectangle lies inside the picture and covers some of it. */
export function checkMaskRegion(region: MaskRegion): MaskRegion {
  const { left, top, width, height } = region;
  if (![left, top, width, height].every((n) => Number.isFinite(n) && n >= 0 && n <= 100)) {
    throw badRequest("The region's left, top, width and height are percentages, 0 to 100");
  }
  if (width === 0 || height === 0) throw badRequest("The region to change must not be empty");
  // A little slack for rounding in what a browser sends (33.34 + 66.67).
  if (left + width > 100.01 || top + height > 100.01) {
    throw badRequest("The region must lie inside the picture (left + width, top + height ≤ 100)");
  }
  return region;
}

/** The PNG mask of `region` at `width`×`height`: transparent inside (to change), opaque outside. */
export async function regionMaskPng(
  region: MaskRegion,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const { left, top } = checkMaskRegion(region);
  // Whole pixels, at least one: a region a fraction of a pixel wide still marks the pixel it is in.
  const x0 = Math.min(width - 1, Math.floor((left / 100) * width));
  const y0 = Math.min(height - 1, Math.floor((top / 100) * height));
  const x1 = Math.max(x0 + 1, Math.min(width, Math.round(((left + region.width) / 100) * width)));
  const y1 = Math.max(y0 + 1, Math.min(height, Math.round(((top + region.height) / 100) * height)));
  const pixels = Buffer.alloc(width * height * 4, 255);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) pixels[(y * width + x) * 4 + 3] = 0;
  }
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer(),
  );
}
