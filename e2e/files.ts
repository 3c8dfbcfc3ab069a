/**
 * The journeys' ways of handling files as a person does in the browser: Save As and Open through
 * the in-app picker (keyboard shortcut, file name, button), and where the host's workspace is.
 */
import { expect, type Page } from './fixtures';

/** The browser host's workspace folder, where the picker saves and opens. */
export const workspace = (): string => process.env.NNSTUDIO_WORKSPACE!;

/** File › Save As… (Ctrl+Shift+S), the file name typed, Save; waits for the picker to close. */
export async function saveAs(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+Shift+S');
  await page.getByLabel('File name').fill(name);
  await page.getByRole('dialog', { name: 'Save the project' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('dialog', { name: 'Save the project' })).toHaveCount(0);
}

/** File › Open… (Ctrl+O), then the project of that name in the picker. */
export async function openFromPicker(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+o');
  await page
    .getByRole('dialog', { name: 'Open a project' })
    .getByRole('button', { name: new RegExp(`${name.replace('.', '\\.')}$`) })
    .last()
    .click();
}
