/**
 * The window's splitters (react-resizable-panels): a panel bounded by its entry in PANELS, opening
 * at the size the project's view saved, and a group that saves the sizes the user drags its
 * panels to in the view (which never marks the project unsaved). Sizes are pixels, so a panel
 * keeps its size as the window is resized and the canvas takes the difference.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { Group, Panel, Separator, usePanelRef, type Layout, type LayoutChangedMeta } from 'react-resizable-panels';
import { useStudio } from '../state/store';
import { PANELS, initialSize, sizeChanged, type PanelName, type PanelSizes } from './panel-layout';
import './window-panels.css';

/** What a group's panels report to: the group's element, and its layout once it settles. */
export interface SizeTracker {
  element: { current: HTMLDivElement | null };
  orientation: 'horizontal' | 'vertical';
  onLayoutChanged(layout: Layout, meta: LayoutChangedMeta): void;
}

/**
 * The tracker of one group: when the user has dragged one of its splitters (or moved it with the
 * keyboard), it writes the sizes of the group's named panels that changed into the view, in px
 * from the layout's shares of the group's size.
 */
export function useSizeTracker(orientation: 'horizontal' | 'vertical'): SizeTracker {
  const tracker = useRef<SizeTracker | null>(null);
  tracker.current ??= {
    element: { current: null },
    orientation,
    onLayoutChanged(layout, meta) {
      const group = this.element.current;
      if (!meta.isUserInteraction || !group) return;
      const { project, setView } = useStudio.getState();
      if (!project) return;
      const length = this.orientation === 'horizontal' ? group.clientWidth : group.clientHeight;
      const saved: PanelSizes = project.view.panelSizes ?? {};
      const next: PanelSizes = { ...saved };
      let changed = false;
      for (const [id, share] of Object.entries(layout)) {
        const name = id.replace(/^panel-/, '');
        if (!isPanelName(name)) continue;
        const px = Math.round((share / 100) * length);
        if (!sizeChanged(saved[name], px)) continue;
        next[name] = px;
        changed = true;
      }
      if (changed) setView({ panelSizes: next });
    },
  };
  return tracker.current;
}

const isPanelName = (name: string): name is PanelName => Object.prototype.hasOwnProperty.call(PANELS, name);

/** A horizontal or vertical group of panels whose dragged sizes go into the view. */
export function PanelGroup({ tracker, className, children }: { tracker: SizeTracker; className?: string; children: ReactNode }) {
  return (
    <Group
      orientation={tracker.orientation}
      className={className}
      elementRef={tracker.element}
      onLayoutChanged={(layout, meta) => tracker.onLayoutChanged(layout, meta)}
    >
      {children}
    </Group>
  );
}

/**
 * A panel with a name in PANELS: its minimum, default and largest size in px, and the saved size
 * to open at (its id, `panel-NAME`, is how its group's tracker knows it). It keeps its pixel size when the window
 * changes; the group's one free panel (the canvas, the chart) takes the rest.
 */
export function SizedPanel({
  name,
  className,
  label,
  children,
}: {
  name: PanelName;
  className?: string;
  label?: string;
  children: ReactNode;
}) {
  const sizes = useStudio((s) => s.project?.view.panelSizes);
  const documentId = useStudio((s) => s.documentId);
  const bounds = PANELS[name];
  const size = initialSize(name, sizes);
  const panel = usePanelRef();
  // The library reads defaultSize once: another document (opened, new, an example) gets its own
  // saved size, or the default, by hand. Within one document the size is the user's.
  // (Not on mount: defaultSize has done it, and the group has not registered the panel yet.)
  const latest = useRef(size);
  latest.current = size;
  const shownFor = useRef(documentId);
  useEffect(() => {
    if (shownFor.current === documentId) return;
    shownFor.current = documentId;
    panel.current?.resize(latest.current);
  }, [documentId, panel]);
  return (
    <Panel
      panelRef={panel}
      id={`panel-${name}`}
      className={className}
      minSize={bounds.min}
      maxSize={bounds.max}
      defaultSize={size}
      groupResizeBehavior="preserve-pixel-size"
      role={label ? 'region' : undefined}
      aria-label={label}
    >
      {children}
    </Panel>
  );
}

/** The group's free panel, which takes what the sized ones leave (at least `min` px). */
export function FreePanel({ id, min, className, children }: { id: string; min: number; className?: string; children: ReactNode }) {
  return (
    <Panel id={`panel-${id}`} className={className} minSize={min}>
      {children}
    </Panel>
  );
}

/** A splitter between two panels: drag it, or focus it and use the arrow keys. */
export function Splitter({ label }: { label: string }) {
  return <Separator className="splitter" aria-label={label} />;
}
