/** Names that must agree with electron-builder.yml (appId) and the Linux autostart entry. */
export const APP_ID = 'app.switchyard.desktop';
export const PRODUCT_NAME = 'Switchyard';
/** Linux autostart / desktop entry file name. */
export const DESKTOP_ENTRY = 'switchyard.desktop';
