/**
 * electron-builder configuration for packaging NN Studio (Linux AppImage and deb, Windows NSIS,
 * macOS dmg, with the .nnproj file association). It is filled in by the desktop-shell issue (#5);
 * until then it holds the identity every package will share.
 */
export const appIdentity = {
  appId: 'org.nnstudio.app',
  productName: 'NN Studio',
  projectExtension: 'nnproj',
} as const;

export default appIdentity;
