import { describe, expect, it } from 'vitest';
import { fileNameOfPath, shownPath, whereFileIs } from './paths';

describe('paths as the user reads them', () => {
  it('a real path is shown whole; the web edition’s names say what the browser knows', () => {
    expect(fileNameOfPath('/home/ada/xor homework.nnproj')).toBe('xor homework.nnproj');
    expect(fileNameOfPath('C:\\Users\\ada\\net.nnproj')).toBe('net.nnproj');
    expect(whereFileIs('/home/ada/net.nnproj')).toBe('/home/ada/net.nnproj');
    expect(whereFileIs('/local/3kf9a/net.nnproj')).toBe('a file on this computer');
    expect(whereFileIs('/download/net.nnproj')).toBe('downloaded');
    expect(shownPath('/home/ada/net.nnproj')).toBe('/home/ada/net.nnproj');
    expect(shownPath('/local/3kf9a/net.nnproj')).toBe('net.nnproj');
  });
});
