// App icons: an SVG drawn as a square PNG at a given size (the web app manifest's 192 and 512 pixel
// icons). The SVG is rasterized at the density that makes it `size` pixels wide, so a 32-unit drawing
// is drawn sharp at 512 pixels, never a small bitmap scaled up.
import { sharp } from "./sharp.ts";

/** `svg` rendered as a `size`×`size` PNG (transparent where the drawing is). */
export async function svgIcon(svg: Uint8Array, size: number): Promise<Buffer> {
  const input = Buffer.from(svg);
  const { width } = await sharp(input).metadata();
  // libvips renders SVG at 72 dpi by default: one user unit per pixel.
  const density = Math.ceil((72 * size) / (width ?? size));
  return await sharp(input, { density })
    .resize(size, size, { fit: "contain", background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
}
