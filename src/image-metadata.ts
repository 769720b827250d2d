/**
 * A photo's bytes without what a camera or phone writes about it (Exif: where it was taken, with
 * GPS coordinates, when, with what device; XMP; IPTC; comments), the picture itself unchanged:
 * no pixel is decoded or encoded again. JPEG and PNG; any other file is returned as it is.
 */
export function withoutPhotoMetadata(bytes: Buffer): Buffer {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegWithoutMetadata(bytes);
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return pngWithoutMetadata(bytes);
  return bytes;
}

/**
 * JPEG: the segments before the image data are kept but APP1 (Exif, XMP), APP13 (Photoshop's
 * IPTC) and COM (comments). APP0 (JFIF), APP2 (the colour profile) and APP14 (Adobe's colour
 * transform) say how to show the picture. A file that is not laid out as JPEG says is returned
 * as it is.
 */
function jpegWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return bytes;
    const marker = bytes[at + 1] ?? 0;
    // Fill bytes before a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // The image data follows the start of scan: the rest of the file is kept whole.
    if (marker === 0xda) {
      kept.push(bytes.subarray(at));
      return Buffer.concat(kept);
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return bytes;
    if (marker !== 0xe1 && marker !== 0xed && marker !== 0xfe) kept.push(bytes.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return bytes;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG's chunks of text and metadata: Exif, text (tEXt, zTXt, iTXt, where XMP goes) and the time it was last changed. */
const PNG_METADATA = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function pngWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [PNG_SIGNATURE];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > bytes.length) return bytes;
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (!PNG_METADATA.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') return Buffer.concat(kept);
  }
  return bytes;
}
