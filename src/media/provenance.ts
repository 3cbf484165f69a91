// Provenance written into image files: an XMP packet carrying the IPTC DigitalSourceType
// (trainedAlgorithmicMedia for AI images), which Google, Meta and C2PA-aware tools read from the file itself.

/** IPTC NewsCodes for the DigitalSourceType property. */
export const DIGITAL_SOURCE_TYPE = {
  trainedAlgorithmicMedia: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
  compositeWithTrainedAlgorithmicMedia:
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
  digitalCapture: "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
} as const;

// XML 1.0 forbids most control characters even as references, so they are dropped.
const escapeXml = (s: string) =>
  [...s]
    .filter((ch) => {
      const code = ch.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
    })
    .join("")
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface XmpProvenance {
  digitalSourceType: string;
  /** e.g. "Atelier (openai gpt-image-1)". */
  creatorTool?: string;
}

/** An XMP packet (as sharp's withXmp wants it) stating where the image came from. */
export function provenanceXmp(p: XmpProvenance): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    `  Iptc4xmpExt:DigitalSourceType="${escapeXml(p.digitalSourceType)}"`,
    p.creatorTool === undefined ? "" : `  xmp:CreatorTool="${escapeXml(p.creatorTool)}"`,
    "/>",
    "</rdf:RDF>",
    "</x:xmpmeta>",
    '<?xpacket end="w"?>',
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/** The DigitalSourceType an XMP packet declares, if any (for tests and for checking remote files). */
export function readDigitalSourceType(xmp: Buffer | string | undefined): string | undefined {
  if (xmp === undefined) return undefined;
  const text = typeof xmp === "string" ? xmp : xmp.toString("utf8");
  const attr = /Iptc4xmpExt:DigitalSourceType="([^"]*)"/.exec(text);
  if (attr) return attr[1];
  const element = /<Iptc4xmpExt:DigitalSourceType[^>]*>([^<]*)</.exec(text);
  if (element) return element[1]!.trim();
  const resource = /<Iptc4xmpExt:DigitalSourceType[^>]*rdf:resource="([^"]*)"/.exec(text);
  return resource?.[1];
}
