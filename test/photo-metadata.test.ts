import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { withoutPhotoMetadata } from '../src/image-metadata.ts';
import { createTestProject, type TestProject } from './helpers/project.ts';

/** A small photo as a phone writes one: Exif with where it was taken, and a comment. */
async function phonePhoto(format: 'jpeg' | 'png'): Promise<Buffer> {
  const image = sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 120, b: 40 } } }).withExif({
    IFD0: { Make: 'PhoneMaker', Model: 'Phone 12', ImageDescription: 'At home, 12 Secret Street' },
  });
  return format === 'jpeg' ? image.jpeg().toBuffer() : image.png().toBuffer();
}

describe('the portrait\'s own file, as published', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));

  it('a JPEG loses what the camera wrote about it, and keeps its picture byte for byte', async () => {
    const photo = await phonePhoto('jpeg');
    assert.ok(photo.includes('Secret Street'), 'the test photo carries its metadata');
    const published = withoutPhotoMetadata(photo);
    assert.ok(!published.includes('Secret Street') && !published.includes('Exif'));
    // The image data, from the start of scan on, is untouched; and it still reads as the same picture.
    const scan = photo.indexOf(Buffer.from([0xff, 0xda]));
    assert.deepEqual(published.subarray(published.indexOf(Buffer.from([0xff, 0xda]))), photo.subarray(scan));
    assert.deepEqual(await sharp(published).raw().toBuffer(), await sharp(photo).raw().toBuffer());
  });

  it('a JPEG keeps which way up it is shown, and nothing else of its Exif', async () => {
    const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 10, g: 20, b: 30 } } })
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: 'PhoneMaker', ImageDescription: 'At home, 12 Secret Street' } })
      .jpeg()
      .toBuffer();
    assert.ok(photo.includes('PhoneMaker'), 'the test photo carries its metadata');
    const published = withoutPhotoMetadata(photo);
    assert.ok(!published.includes('Secret Street') && !published.includes('PhoneMaker'));
    const [original, kept] = await Promise.all([sharp(photo).metadata(), sharp(published).metadata()]);
    assert.deepEqual([original.orientation, kept.orientation], [6, 6], 'turned a quarter, as the camera held it');
    assert.deepEqual([kept.width, kept.height], [original.width, original.height]);
  });

  it('a PNG loses its Exif and text chunks; other files are left as they are', async () => {
    const photo = await phonePhoto('png');
    assert.ok(photo.includes('eXIf'), 'the test photo carries an Exif chunk');
    const published = withoutPhotoMetadata(photo);
    assert.ok(!published.includes('eXIf') && !published.includes('Secret Street'));
    assert.deepEqual(await sharp(published).raw().toBuffer(), await sharp(photo).raw().toBuffer());
    const webp = await sharp(photo).webp().toBuffer();
    assert.equal(withoutPhotoMetadata(webp), webp);
    const plain = await sharp(photo).jpeg().toBuffer();
    assert.equal(withoutPhotoMetadata(plain), plain, 'a photo with nothing to take out is the same file');
    const cut = photo.subarray(0, 40);
    assert.equal(withoutPhotoMetadata(cut), cut, 'a damaged file is not guessed at');
  });

  it('a build publishes the portrait at its address without its metadata, and leaves the owner\'s file as it is', async () => {
    const project = await createTestProject();
    projects.push(project);
    const photo = await phonePhoto('jpeg');
    await project.write('content/assets/portrait.jpg', photo);
    await project.build();
    const published = await readFile(`${project.root}/_site/assets/portrait.jpg`);
    assert.ok(!published.includes('Secret Street'));
    assert.deepEqual(published, withoutPhotoMetadata(photo));
    assert.deepEqual(await readFile(`${project.root}/content/assets/portrait.jpg`), photo, 'the owner\'s photo is unchanged');
  });
});
