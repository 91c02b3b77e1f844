import { strict as assert } from 'node:assert';
import sharp from 'sharp';
import { deflateSync } from 'node:zlib';
import { notAnImageReason } from '../../src/core/images/notAnImage';

const bytes = (...parts: (string | number[] | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('notAnImageReason: what a file is when it is not an image', () => {
  it('names empty files, text, HTML, XML, SVG, JSON and Git LFS pointers', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.alloc(0), /^the file is empty \(0 bytes\)$/],
      [Buffer.from('a cat sitting on a red sofa, photographed from above\n'), /^the file starts with text \("a cat sitting on a red sofa, photographe…"\)$/],
      [Buffer.from('\uFEFF  short note\r\n'), /^the file starts with text \("short note"\)$/],
      [Buffer.from('\uFEFFhi', 'utf16le'), /^the file starts with text \("hi"\)$/],
      [Buffer.from('<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>gone</body></html>'), /^it is an HTML page/],
      [Buffer.from('<!-- saved by a browser -->\n<HTML lang="en">'), /^it is an HTML page/],
      [Buffer.from('<?xml version="1.0"?><feed></feed>'), /^it is an XML document$/],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'), /^it is an SVG drawing/],
      [Buffer.from('{"error": "Forbidden"}'), /^it is JSON text$/],
      [Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 81234\n'), /^it is a Git LFS pointer, not the image: .*git lfs pull/],
      [Buffer.from(' \n\t\n'), /^the file holds only white space$/],
    ];
    for (const [input, expected] of cases) assert.match(notAnImageReason(input) ?? '(undefined)', expected, JSON.stringify(input.toString('latin1')));
  });

  it('names documents, archives, media and programs by their signatures', () => {
    const tar = Buffer.alloc(1024);
    tar.write('photo.jpg', 0, 'latin1');
    tar.write('ustar\x0000', 257, 'latin1');
    const cases: [Buffer, string][] = [
      [bytes('%PDF-1.7\n%', [0xe2, 0xe3, 0xcf, 0xd3]), 'it is a PDF document'],
      [bytes('PK\x03\x04', Buffer.alloc(30)), 'it is a zip archive (or a zip-based document)'],
      [bytes([0x1f, 0x8b, 8, 0], Buffer.alloc(20)), 'it is a gzip-compressed file'],
      [tar, 'it is a tar archive'],
      [bytes('7z', [0xbc, 0xaf, 0x27, 0x1c], Buffer.alloc(20)), 'it is a 7-Zip archive'],
      [bytes('\x93NUMPY\x01\x00v\x00{', Buffer.alloc(20)), 'it is a NumPy array (.npy)'],
      [bytes([0, 0, 0, 0x18], 'ftypisom', Buffer.alloc(12)), 'it is a video (MP4/QuickTime, brand "isom")'],
      [bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ', Buffer.alloc(8)), 'it is a WAV audio file'],
      [bytes('\x7fELF', [2, 1, 1], Buffer.alloc(20)), 'it is a program (ELF executable)'],
    ];
    for (const [input, expected] of cases) assert.equal(notAnImageReason(input), expected);
  });

  it('says when the start is all zeros, and quotes the first bytes of anything else', () => {
    assert.equal(notAnImageReason(Buffer.alloc(4096)), 'its first 1,024 bytes are all zero (an unfinished download or a damaged copy)');
    assert.equal(notAnImageReason(bytes([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x02])), 'the file starts with the bytes 12 34 56 78 9a bc de f0, which begin no image format');
  });

  it('leaves files that begin like an image to their parser: a damaged image is still an image', async () => {
    const formats = ['jpeg', 'png', 'gif', 'webp', 'tiff', 'avif'] as const;
    for (const format of formats) {
      const encoded = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c03' } }).toFormat(format).toBuffer();
      assert.equal(notAnImageReason(encoded.subarray(0, 32)), undefined, `${format} signature`);
    }
    assert.equal(notAnImageReason(bytes('BM', Buffer.alloc(40))), undefined, 'BMP');
    assert.equal(notAnImageReason(bytes([0x89], 'PNG\r\n\x1a\n', deflateSync(Buffer.alloc(10)))), undefined, 'a PNG signature with garbage after it');
  });
});
