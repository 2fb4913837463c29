// Writes htdocs/images/favicon.ico (16x16 and 32x32, 32-bit BMP entries):
// a blue rounded square with a white camera. Run once with
// `node tests/browser/make-favicon.mjs`; the output is committed.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BLUE = [0x0b, 0x5c, 0xd5];
const WHITE = [0xff, 0xff, 0xff];
const SAMPLES = 4; // per axis, for smooth edges

// Shape tests on the unit square (0..1, y down).
function inRoundedSquare(x, y) {
  const r = 0.2;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function inCamera(x, y) {
  const body = x >= 0.16 && x <= 0.62 && y >= 0.3 && y <= 0.7;
  // Lens: a trapezoid from the body's right side out to x = 0.86.
  const t = (x - 0.62) / (0.86 - 0.62);
  const half = 0.09 + t * 0.13;
  const lens = t >= 0 && t <= 1 && Math.abs(y - 0.5) <= half;
  return body || lens;
}

// One BGRA pixel array, bottom-up rows as BMP wants.
function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      let cover = 0, white = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (col + (sx + 0.5) / SAMPLES) / size;
          const y = (row + (sy + 0.5) / SAMPLES) / size;
          if (inRoundedSquare(x, y)) {
            cover++;
            if (inCamera(x, y)) white++;
          }
        }
      }
      const mix = cover ? white / cover : 0;
      const rgb = BLUE.map((c, i) => Math.round(c + (WHITE[i] - c) * mix));
      const at = ((size - 1 - row) * size + col) * 4;
      pixels[at] = rgb[2];
      pixels[at + 1] = rgb[1];
      pixels[at + 2] = rgb[0];
      pixels[at + 3] = Math.round((255 * cover) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}

function bmpEntry(size) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);          // BITMAPINFOHEADER size
  header.writeInt32LE(size, 4);         // width
  header.writeInt32LE(size * 2, 8);     // height: colour + AND mask
  header.writeUInt16LE(1, 12);          // planes
  header.writeUInt16LE(32, 14);         // bits per pixel
  const maskRow = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskRow * size); // all 0: alpha decides
  return Buffer.concat([header, render(size), mask]);
}

const sizes = [16, 32];
const images = sizes.map(bmpEntry);
const dir = Buffer.alloc(6);
dir.writeUInt16LE(0, 0);
dir.writeUInt16LE(1, 2); // icon
dir.writeUInt16LE(sizes.length, 4);
let offset = 6 + 16 * sizes.length;
const entries = sizes.map((size, i) => {
  const entry = Buffer.alloc(16);
  entry.writeUInt8(size, 0);
  entry.writeUInt8(size, 1);
  entry.writeUInt16LE(1, 4);
  entry.writeUInt16LE(32, 6);
  entry.writeUInt32LE(images[i].length, 8);
  entry.writeUInt32LE(offset, 12);
  offset += images[i].length;
  return entry;
});
const out = fileURLToPath(new URL('../htdocs/images/favicon.ico', import.meta.url));
writeFileSync(out, Buffer.concat([dir, ...entries, ...images]));
console.log('wrote', out);
