#!/usr/bin/env node
// Draws Switchyard's icons into resources/icons (committed; run again after changing a shape):
//   tray-<state>.png / tray-<state>@2x.png                 16 / 32 px, coloured (Windows, Linux)
//   tray-<state>Template.png / tray-<state>Template@2x.png 16 / 32 px, black + alpha (macOS menu bar)
//   icon.png                                               512 px app icon
//   ../../renderer/public/favicon.ico                      the app icon at 32 px, for the dashboard
// States: ok (filled disc), some-blocked (half-filled ring), all-blocked (disc with a bar through it),
// warning (disc with an exclamation mark), stopped (empty ring). PNGs are written by hand: RGBA, zlib-deflated, CRC-checked chunks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons');

// ---------- PNG ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** rgba: Uint8Array of size*size*4 */
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- drawing: a shader returns [r, g, b, a] (0..1) at a point of the unit square ----------
function render(size, shader, samples = 4) {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = shader((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          r += cr * ca; g += cg * ca; b += cb * ca; a += ca;
        }
      }
      const n = samples * samples;
      const i = (y * size + x) * 4;
      rgba[i + 3] = Math.round((a / n) * 255);
      if (a > 0) {
        rgba[i] = Math.round((r / a) * 255);
        rgba[i + 1] = Math.round((g / a) * 255);
        rgba[i + 2] = Math.round((b / a) * 255);
      }
    }
  }
  return rgba;
}

const hex = (h) => [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255];
const dist = (x, y, cx, cy) => Math.hypot(x - cx, y - cy);
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

const R = 0.44; // outer radius
const RING = 0.13; // ring width

/** For each state: 'fill' (the colour), 'cut' (white in colour, transparent in templates), or null. */
const TRAY = {
  ok: { color: '#1a7f37', part: (x, y) => (dist(x, y, 0.5, 0.5) <= R ? 'fill' : null) },
  'some-blocked': {
    color: '#bf8700',
    part: (x, y) => {
      const d = dist(x, y, 0.5, 0.5);
      if (d > R) return null;
      return d >= R - RING || x <= 0.5 ? 'fill' : null;
    },
  },
  'all-blocked': {
    color: '#cf222e',
    part: (x, y) => {
      if (dist(x, y, 0.5, 0.5) > R) return null;
      return Math.abs(y - 0.5) <= 0.09 && Math.abs(x - 0.5) <= 0.27 ? 'cut' : 'fill';
    },
  },
  // A provider problem that needs the person (e.g. a retired provider): an exclamation mark.
  warning: {
    color: '#8250df',
    part: (x, y) => {
      if (dist(x, y, 0.5, 0.5) > R) return null;
      const bar = Math.abs(x - 0.5) <= 0.075 && y >= 0.2 && y <= 0.58;
      return bar || dist(x, y, 0.5, 0.73) <= 0.08 ? 'cut' : 'fill';
    },
  },
  stopped: {
    color: '#6e7781',
    part: (x, y) => {
      const d = dist(x, y, 0.5, 0.5);
      return d <= R && d >= R - RING ? 'fill' : null;
    },
  },
};

function trayShader(state, template) {
  const { color, part } = TRAY[state];
  const rgb = hex(color);
  return (x, y) => {
    const p = part(x, y);
    if (p === 'fill') return template ? [0, 0, 0, 1] : [...rgb, 1];
    if (p === 'cut') return template ? [0, 0, 0, 0] : [1, 1, 1, 1];
    return [0, 0, 0, 0];
  };
}

function appIconShader(x, y) {
  // A rounded square in GitHub blue with a white rail switch: one track splitting in two.
  const inset = 0.06, radius = 0.2;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
  if (Math.hypot(qx, qy) > radius) return [0, 0, 0, 0];
  const top = hex('#2f81f7'), bottom = hex('#0550ae');
  const t = (y - inset) / (1 - 2 * inset);
  const bg = top.map((c, i) => c + (bottom[i] - c) * t);
  const w = 0.045;
  const junction = [0.5, 0.56];
  const tracks = [
    [0.5, 0.84, ...junction],
    [...junction, 0.3, 0.18],
    [...junction, 0.7, 0.18],
  ];
  const onTrack = tracks.some(([ax, ay, bx, by]) => segmentDistance(x, y, ax, ay, bx, by) <= w);
  const onHub = dist(x, y, ...junction) <= 0.085;
  return onTrack || onHub ? [1, 1, 1, 1] : [...bg, 1];
}

mkdirSync(out, { recursive: true });
const written = [];
const write = (name, size, shader, samples) => {
  writeFileSync(join(out, name), png(size, render(size, shader, samples)));
  written.push(name);
};
for (const state of Object.keys(TRAY)) {
  for (const template of [false, true]) {
    const base = `tray-${state}${template ? 'Template' : ''}`;
    write(`${base}.png`, 16, trayShader(state, template), 8);
    write(`${base}@2x.png`, 32, trayShader(state, template), 8);
  }
}
write('icon.png', 512, appIconShader, 2);

/** An ICO file holding one PNG image (Vista+ ICO; every browser reads it). */
function ico(size, pngData) {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header[6] = size; // width
  header[7] = size; // height
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(pngData.length, 14);
  header.writeUInt32LE(header.length, 18); // offset of the image
  return Buffer.concat([header, pngData]);
}
const publicDir = join(out, '..', '..', 'renderer', 'public');
mkdirSync(publicDir, { recursive: true });
writeFileSync(join(publicDir, 'favicon.ico'), ico(32, png(32, render(32, appIconShader, 8))));
written.push('renderer/public/favicon.ico');
process.stdout.write(`make-icons: wrote ${written.length} files to ${out}\n`);
