/**
 * A photo's bytes without what a camera or phone writes about it (Exif: where it was taken, with
 * GPS coordinates, when, with what device; XMP; IPTC; comments), the picture itself unchanged:
 * no pixel is decoded or encoded again. JPEG and PNG; any other file, or one with nothing to take
 * out, is returned as it is (the same Buffer).
 */
export function withoutPhotoMetadata(bytes: Buffer): Buffer {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegWithoutMetadata(bytes);
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return pngWithoutMetadata(bytes);
  return bytes;
}

/**
 * JPEG: the segments before the image data are kept but APP1 (Exif, XMP), APP13 (Photoshop's
 * IPTC) and COM (comments), with the Exif's orientation alone kept in an APP1 of its own. APP0 (JFIF), APP2 (the colour profile) and APP14 (Adobe's colour
 * transform) say how to show the picture. A file that is not laid out as JPEG says is returned
 * as it is.
 */
function jpegWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let dropped = false;
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
      return dropped ? Buffer.concat(kept) : bytes;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return bytes;
    if (marker !== 0xe1 && marker !== 0xed && marker !== 0xfe) kept.push(bytes.subarray(at, at + 2 + length));
    else dropped = true;
    // Which way up the picture is shown is no metadata about it: kept, alone.
    const orientation = marker === 0xe1 ? exifOrientation(bytes.subarray(at + 4, at + 2 + length)) : undefined;
    if (orientation !== undefined && orientation !== 1) kept.push(orientationOnly(orientation));
    at += 2 + length;
  }
  return bytes;
}

/** The Orientation (tag 274) of an Exif APP1 segment's first image directory, if it has one. */
function exifOrientation(segment: Buffer): number | undefined {
  if (segment.length < 14 || segment.toString('latin1', 0, 6) !== 'Exif\0\0') return undefined;
  const tiff = segment.subarray(6);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const u16 = (at: number): number => (order === 'II' ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number): number => (order === 'II' ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const directory = u32(4);
  if (directory + 2 > tiff.length) return undefined;
  for (let entry = 0, count = u16(directory); entry < count; entry += 1) {
    const at = directory + 2 + entry * 12;
    if (at + 12 > tiff.length) return undefined;
    if (u16(at) === 0x0112) return u16(at + 8);
  }
  return undefined;
}

/** An Exif APP1 segment that holds the orientation and nothing else. */
function orientationOnly(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  // Tag 274, type SHORT, one value, the value in the entry; no next directory.
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(2 + 6 + tiff.length, 2);
  return Buffer.concat([header, Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG's chunks of text and metadata: Exif, text (tEXt, zTXt, iTXt, where XMP goes) and the time it was last changed. */
const PNG_METADATA = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function pngWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [PNG_SIGNATURE];
  let dropped = false;
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > bytes.length) return bytes;
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (!PNG_METADATA.has(type)) kept.push(bytes.subarray(at, end));
    else dropped = true;
    at = end;
    if (type === 'IEND') return dropped ? Buffer.concat(kept) : bytes;
  }
  return bytes;
}
