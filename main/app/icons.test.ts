import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { TRAY_ICON_STATES } from './snapshot-health';
import { appIconFile, trayIconFile } from './paths';

const ICONS = join(import.meta.dirname, '..', '..', 'resources', 'icons');

/** Width, height and RGBA rows of a non-interlaced 8-bit RGBA PNG with unfiltered rows (as make-icons writes). */
function decode(file: string) {
  const b = readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  expect([b[24], b[25]]).toEqual([8, 6]);
  const idat: Buffer[] = [];
  for (let o = 8; o < b.length; ) {
    const len = b.readUInt32BE(o);
    if (b.toString('ascii', o + 4, o + 8) === 'IDAT') idat.push(b.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.concat(Array.from({ length: height }, (_, y) => raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1))));
  return { width, height, pixels };
}

describe('icons in resources/icons', () => {
  it('every tray state has 16 px and @2x 32 px icons, coloured and macOS template', () => {
    for (const state of TRAY_ICON_STATES) {
      for (const platform of ['linux', 'darwin'] as const) {
        const base = trayIconFile(ICONS, state, platform);
        expect(decode(base)).toMatchObject({ width: 16, height: 16 });
        expect(decode(base.replace(/\.png$/, '@2x.png'))).toMatchObject({ width: 32, height: 32 });
      }
    }
  });

  it('template images are black with alpha only, and not empty', () => {
    for (const state of TRAY_ICON_STATES) {
      const { pixels } = decode(trayIconFile(ICONS, state, 'darwin'));
      let opaque = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([0, 0, 0]);
        if (pixels[i + 3]! > 128) opaque += 1;
      }
      expect(opaque).toBeGreaterThan(20);
    }
  });

  it('each state looks different', () => {
    const seen = new Set(TRAY_ICON_STATES.map((s) => decode(trayIconFile(ICONS, s, 'linux')).pixels.toString('base64')));
    expect(seen.size).toBe(TRAY_ICON_STATES.length);
    const templates = new Set(TRAY_ICON_STATES.map((s) => decode(trayIconFile(ICONS, s, 'darwin')).pixels.toString('base64')));
    expect(templates.size).toBe(TRAY_ICON_STATES.length);
  });

  it('the dashboard has a favicon.ico: one 32 px PNG image of the app icon', () => {
    const file = join(ICONS, '..', '..', 'renderer', 'public', 'favicon.ico');
    const b = readFileSync(file);
    expect([b.readUInt16LE(0), b.readUInt16LE(2), b.readUInt16LE(4), b[6], b[7]]).toEqual([0, 1, 1, 32, 32]);
    const offset = b.readUInt32LE(18);
    expect(offset + b.readUInt32LE(14)).toBe(b.length);
    const png = join(tmpdir(), `favicon-${process.pid}.png`);
    writeFileSync(png, b.subarray(offset));
    expect(decode(png)).toMatchObject({ width: 32, height: 32 });
  });

  it('the app icon is 512 px', () => {
    expect(decode(appIconFile(ICONS))).toMatchObject({ width: 512, height: 512 });
  });
});
