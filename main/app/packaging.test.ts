import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { APP_ID, PRODUCT_NAME } from './identity';

// electron-builder cannot run here (it downloads Electron), so its config is checked against
// electron-builder's own JSON schema with the yaml and ajv it ships with.
const root = join(import.meta.dirname, '..', '..');
const requireFromBuilder = createRequire(join(root, 'node_modules', 'app-builder-lib', 'package.json'));
const yaml = requireFromBuilder('js-yaml') as { load(text: string): any };
const AjvModule = requireFromBuilder('ajv') as { default?: new (o: object) => any } & (new (o: object) => any);
const Ajv = AjvModule.default ?? AjvModule;

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword({ keyword: 'typeof' });
    const valid = ajv.validate(schema, config);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('names the app as the code does and ships the icons where the app looks for them', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'package.json']));
    expect(config.extraResources).toEqual([{ from: 'resources/icons', to: 'icons', filter: ['**/*.png'] }]);
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('targets dmg (no Dock icon), nsis, AppImage and deb with the AppIndicator dependency', () => {
    expect(config.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg']);
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.deb.depends).toContain('libayatana-appindicator3-1');
  });
});
