/**
 * The web edition's entry: installs the in-page host as `window.nnstudio` (what the desktop
 * preload installs), then starts the very same renderer.
 */
import { installWebHost } from './host';

installWebHost();
await import('../src-renderer/src/main');
