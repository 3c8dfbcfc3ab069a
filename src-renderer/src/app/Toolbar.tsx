/**
 * The window's toolbar, on one row at any width from 1280 px: New from an example, the file,
 * edit and training actions, the speed, and the readouts of the run (epoch, place in the epoch,
 * loss, accuracy, state). Its buttons are actions (ActionButton) with Lucide icons; where the row
 * has no room they give up their labels, then move into the More menu, each at its rank
 * (./toolbar-fit.ts decides from widths measured on a hidden copy of the row). The buttons read
 * the stores as they render: App re-renders the toolbar on every change.
 */
import { Fragment, useCallback, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useStudio } from '../state/store';
import { formatPercent, formatValue } from '../ui/format';
import { MoreIcon, PauseIcon, PlayIcon } from '../ui/icons';
import { ActionButton } from './ActionButton';
import { MoreMenu } from './MoreMenu';
import { fitToolbar, type FitItem, type ItemMode } from './toolbar-fit';
import { DIVIDERS, SPEEDS, TOOLBAR_ENTRIES, moreEntries, type Entry } from './toolbar-items';
import './toolbar.css';

const sameModes = (a: ReadonlyMap<string, ItemMode>, b: ReadonlyMap<string, ItemMode>) =>
  a.size === b.size && [...a].every(([key, mode]) => b.get(key) === mode);

export function Toolbar() {
  const examples = useStudio((s) => s.examples);
  const training = useStudio((s) => s.training);
  const speed = useStudio((s) => s.speed);
  const last = training.history.at(-1);
  const running = training.state === 'running';
  const [modes, setModes] = useState<ReadonlyMap<string, ItemMode>>(() => new Map());
  const bar = useRef<HTMLElement>(null);
  const measure = useRef<HTMLDivElement>(null);

  const fit = useCallback(() => {
    const toolbar = bar.current;
    const copies = measure.current;
    if (!toolbar || !copies) return;
    const style = getComputedStyle(toolbar);
    const gap = Number.parseFloat(style.columnGap) || 0;
    const available = toolbar.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
    const widthOf = (selector: string, root: ParentNode = copies) => root.querySelector(selector)?.getBoundingClientRect().width ?? 0;
    // What always stays on the row: New…, Train, the readouts; and the dividers between the
    // groups, counted whether or not they end up shown (a few px to spare), with their margins.
    const fixed: FitItem[] = [...toolbar.querySelectorAll(':scope > [data-fixed]')].map((element, i) => {
      const width = element.getBoundingClientRect().width;
      return { key: `fixed-${i}`, full: width, icon: width };
    });
    const divider = copies.querySelector('[data-measure="divider"]');
    if (divider) {
      const margins = getComputedStyle(divider);
      const width = divider.getBoundingClientRect().width + Number.parseFloat(margins.marginLeft) + Number.parseFloat(margins.marginRight);
      for (let i = 0; i < DIVIDERS; i++) fixed.push({ key: `divider-${i}`, full: width, icon: width });
    }
    const items: FitItem[] = TOOLBAR_ENTRIES.map((entry) => ({
      key: entry.key,
      full: widthOf(`[data-measure="${entry.key}:full"]`),
      icon: entry.kind === 'action' ? widthOf(`[data-measure="${entry.key}:icon"]`) : widthOf(`[data-measure="${entry.key}:full"]`),
      iconRank: entry.iconRank,
      moreRank: entry.moreRank,
    }));
    const next = fitToolbar([...fixed, ...items], { available, more: widthOf('[data-measure="more"]'), gap });
    for (const item of fixed) next.delete(item.key);
    setModes((previous) => (sameModes(previous, next) ? previous : next));
  }, []);

  useLayoutEffect(() => {
    fit();
    const observer = new ResizeObserver(() => fit());
    if (bar.current) observer.observe(bar.current);
    if (measure.current) observer.observe(measure.current.firstElementChild!);
    for (const element of bar.current?.querySelectorAll(':scope > [data-fixed]') ?? []) observer.observe(element);
    return () => observer.disconnect();
  }, [fit]);

  const mode = (key: string): ItemMode => modes.get(key) ?? 'full';
  const speedSelect = (copy: boolean) => (
    <select
      data-testid={copy ? undefined : 'speed'}
      aria-label="Training speed"
      title="How fast training runs: full speed, or a set number of training steps (batches) a second to watch each one"
      value={speed === null ? 'full' : String(speed)}
      tabIndex={copy ? -1 : undefined}
      onChange={(e) => void useStudio.getState().setSpeed(e.target.value === 'full' ? null : Number(e.target.value))}
    >
      {SPEEDS.map((s) => (
        <option key={s.value} value={s.value}>
          {s.label}
        </option>
      ))}
    </select>
  );
  const render = (entry: Entry, as: 'full' | 'icon', copy: boolean): ReactNode => {
    if (entry.kind === 'speed') return speedSelect(copy);
    return (
      <ActionButton
        id={entry.id}
        icon={entry.icon}
        compact={as === 'icon'}
        testId={copy ? undefined : entry.testId}
        ariaLabel={entry.ariaLabel}
      />
    );
  };

  // The groups in order, each with its shown items; a divider between two groups that both show something.
  const groups: { group: Entry['group']; items: ReactNode[] }[] = [];
  for (const entry of TOOLBAR_ENTRIES) {
    const m = mode(entry.key);
    let group = groups.at(-1);
    if (group?.group !== entry.group) groups.push((group = { group: entry.group, items: [] }));
    if (entry.group === 'train' && group.items.length === 0) group.items.push(<TrainButton key="train" running={running} />);
    if (m !== 'more') group.items.push(<Fragment key={entry.key}>{render(entry, m, false)}</Fragment>);
  }
  const more = moreEntries(TOOLBAR_ENTRIES, modes);

  return (
    <header className="toolbar" ref={bar}>
      <select
        data-fixed
        data-testid="example-select"
        aria-label="New project from an example"
        title="Start an empty canvas, or one of the lecture’s examples"
        className="new-select"
        value=""
        onChange={(e) =>
          e.target.value === '__blank'
            ? void useStudio.getState().newBlank()
            : e.target.value && void useStudio.getState().newFromExample(e.target.value)
        }
      >
        <option value="">New…</option>
        <option value="__blank">Empty canvas</option>
        {examples.map((ex) => (
          <option key={ex.name} value={ex.name}>
            {ex.title}
          </option>
        ))}
      </select>
      {groups.map((group, index) => (
        <Fragment key={group.group}>
          {index > 0 && group.items.length > 0 && <span className="divider" aria-hidden />}
          {group.items}
        </Fragment>
      ))}
      {more.length > 0 && <MoreMenu entries={more} />}
      <div className="readouts" data-fixed>
        <span className="readout">
          epoch <b data-testid="epoch">{training.epoch}</b>
        </span>
        <span className="readout" title="Samples of the current epoch trained on so far">
          sample <b data-testid="epoch-progress">{training.epochSize ? `${training.samplesIntoEpoch}/${training.epochSize}` : '—'}</b>
        </span>
        <span
          className="readout"
          title={
            last
              ? `Training loss of epoch ${last.epoch}: the mean over its steps, each measured just before its update (the evaluation panel measures the current weights)`
              : 'Training loss of the steps so far in this epoch'
          }
        >
          loss <b data-testid="loss">{formatValue(last?.loss ?? training.runningLoss)}</b>
        </span>
        <span
          className="readout"
          title="Training accuracy of the last epoch: the mean over its steps, each measured just before its update (the evaluation panel measures the current weights)"
        >
          acc <b data-testid="accuracy">{formatPercent(last?.accuracy)}</b>
        </span>
        <span className="readout state" data-testid="training-state">
          {training.state}
        </span>
      </div>
      {/* Every item in both its forms, out of sight and out of reach, for the fit to measure. */}
      <div className="toolbar-measure" aria-hidden inert ref={measure}>
        <div>
          {TOOLBAR_ENTRIES.map((entry) => (
            <Fragment key={entry.key}>
              <span data-measure={`${entry.key}:full`}>{render(entry, 'full', true)}</span>
              {entry.kind === 'action' && <span data-measure={`${entry.key}:icon`}>{render(entry, 'icon', true)}</span>}
            </Fragment>
          ))}
          <span className="divider" data-measure="divider" />
          <span data-measure="more">
            <button type="button" className="tool" tabIndex={-1}>
              <MoreIcon className="icon" size={16} aria-hidden />
              <span className="tool-label">More</span>
            </button>
          </span>
        </div>
      </div>
    </header>
  );
}

/** Train, Pause or Resume: the run's main control, always on the row with its words. */
function TrainButton({ running }: { running: boolean }) {
  const state = useStudio((s) => s.training.state);
  return (
    <span data-fixed className="fixed-wrap">
      <ActionButton
        id="train.startPause"
        testId="train-button"
        className="primary"
        icon={running ? PauseIcon : PlayIcon}
        text={running ? 'Pause' : state === 'paused' ? 'Resume' : 'Train'}
      />
    </span>
  );
}
