/**
 * The actions by name and by menu in the browser: the command palette (Ctrl+Shift+P) finds an
 * action as it is typed and runs it with Enter; the browser's menu bar opens with the mouse and the
 * keyboard and runs the same actions, with their shortcuts shown and disabled items refused.
 */
import { appUrl, edition, expect, test } from './fixtures';

test('the command palette finds and runs actions; Escape closes it', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The web edition asks the system where to save: its picker stands in here, and the user cancels.
  if (edition() === 'web')
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w.showSaveFilePicker = async () => {
        w.__savePickerShown = true;
        throw new DOMException('The user aborted a request.', 'AbortError');
      };
    });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('canvas')).toBeVisible();

  const palette = page.getByTestId('command-palette');
  await page.keyboard.press('Control+Shift+P');
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('combobox', { name: 'Find an action' })).toBeFocused();
  // Every action is listed, with where the menus keep it and its shortcut.
  await expect(palette.getByRole('option', { name: /Save As…\s*File\s*Ctrl\+Shift\+S/ })).toBeVisible();
  await page.keyboard.type('notation');
  await expect(palette.getByRole('option').first()).toContainText('The Lecture’s Notation');
  await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  const notation = page.getByTestId('notation');
  await expect(notation).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(notation).toHaveCount(0);

  // Initials and arrows: "sob" is Step One Batch, and ArrowDown moves on from it.
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('sob');
  await expect(palette.getByRole('option').first()).toContainText('Step One Batch');
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
  await expect(page.getByTestId('training-state')).toHaveText('idle'); // Escape ran nothing

  // A disabled action is shown dimmed with the reason, and Enter on it does nothing.
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('next stop');
  const next = palette.getByRole('option').first();
  await expect(next).toContainText('Next Stop');
  await expect(next).toHaveAttribute('aria-disabled', 'true');
  await expect(next).toContainText('Open the backprop inspector first');
  await page.keyboard.press('Enter');
  await expect(palette).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('palette.png') });

  // "save as" → the in-app save picker.
  await page.getByRole('combobox', { name: 'Find an action' }).fill('save as');
  await expect(palette.getByRole('option').first()).toContainText('Save As…');
  await page.keyboard.press('Enter');
  if (edition() === 'web') {
    await expect.poll(() => page.evaluate(() => (window as unknown as Record<string, unknown>).__savePickerShown === true)).toBe(true);
    await expect(page).toHaveTitle(/^XOR 2-2-1/); // cancelled: nothing saved, nothing said
    await expect(page.locator('.error-banner')).toHaveCount(0);
  } else {
    await expect(page.getByRole('dialog', { name: 'Save the project' })).toBeVisible();
    await page.getByRole('dialog', { name: 'Save the project' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog', { name: 'Save the project' })).toHaveCount(0);
  }
  expect(errors).toEqual([]);
});

test('the browser’s menu bar runs the actions with the mouse and the keyboard', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  const bar = page.getByRole('menubar', { name: 'Menu' });
  await expect(bar.getByRole('menuitem')).toHaveText(['File', 'Edit', 'View', 'Train', 'Help']);
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('canvas')).toBeVisible();

  // Help › The Lecture's Notation.
  await bar.getByRole('menuitem', { name: 'Help', exact: true }).click();
  const help = page.getByRole('menu', { name: 'Help' });
  await expect(help.getByRole('menuitem', { name: /The Lecture’s Notation\s*F1/ })).toBeVisible();
  await help.getByRole('menuitem', { name: /The Lecture’s Notation/ }).click();
  await expect(help).toHaveCount(0);
  await expect(page.getByTestId('notation')).toBeVisible();
  await page.getByTestId('notation').getByRole('button', { name: 'Close' }).click();

  // Edit shows Undo disabled (nothing to undo yet), and a click on it does nothing.
  await bar.getByRole('menuitem', { name: 'Edit', exact: true }).click();
  const edit = page.getByRole('menu', { name: 'Edit' });
  await expect(edit.getByRole('menuitem', { name: /^Undo/ })).toHaveAttribute('aria-disabled', 'true');
  await expect(edit.getByRole('menuitem', { name: /Select All\s*Ctrl\+A/ })).toHaveAttribute('aria-disabled', 'false');
  await page.keyboard.press('Escape');
  await expect(edit).toHaveCount(0);

  // Train › Speed › 2 Steps a Second, then Train › Start / Pause: it runs (slowly enough to see).
  await bar.getByRole('menuitem', { name: 'Train', exact: true }).click();
  const train = page.getByRole('menu', { name: 'Train' });
  await train.getByRole('menuitem', { name: /^Speed/ }).hover();
  await page.getByRole('menu', { name: 'Speed' }).getByRole('menuitem', { name: '2 Steps a Second' }).click();
  await expect(page.getByTestId('speed')).toHaveValue('2');
  await bar.getByRole('menuitem', { name: 'Train', exact: true }).click();
  await page.screenshot({ path: testInfo.outputPath('menubar-train.png') });
  await train.getByRole('menuitem', { name: /Start \/ Pause\s*F5/ }).click();
  await expect(page.getByTestId('training-state')).toHaveText('running');

  // The keyboard: Alt+T opens Train on its first item; Enter on it pauses.
  await page.keyboard.press('Alt+t');
  await expect(train.getByRole('menuitem', { name: /^Pause/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  // ArrowRight moves to Help (Learn first), ArrowDown to its next items (the notation, the shortcut sheet, then About), Enter shows About.
  await page.keyboard.press('Alt+t');
  await page.keyboard.press('ArrowRight');
  await expect(help.getByRole('menuitem').first()).toBeFocused();
  await expect(help.getByRole('menuitem').first()).toHaveText(/^Learn\s*F2/);
  await page.keyboard.press('ArrowDown');
  await expect(help.getByRole('menuitem', { name: /^The Lecture’s Notation/ })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(help.getByRole('menuitem', { name: /^Keyboard Shortcuts/ })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(help.getByRole('menuitem', { name: 'About NN Studio' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.notice-banner')).toContainText('NN Studio');

  // Back to full speed, marked so in the menu: the host keeps the speed for the journeys after this one.
  await bar.getByRole('menuitem', { name: 'Train', exact: true }).click();
  await train.getByRole('menuitem', { name: /^Speed/ }).hover();
  const speed = page.getByRole('menu', { name: 'Speed' });
  await expect(speed.getByRole('menuitemcheckbox', { name: /2 Steps a Second/ })).toHaveAttribute('aria-checked', 'true');
  await speed.getByRole('menuitem', { name: 'Full Speed' }).click();
  await expect(page.getByTestId('speed')).toHaveValue('full');
  expect(errors).toEqual([]);
});
