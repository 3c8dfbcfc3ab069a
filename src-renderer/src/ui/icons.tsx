/**
 * The app's pictograms, drawn as inline SVG in the text's colour: emoji and symbol glyphs need a
 * font that has them, and where none is installed they render as empty boxes. The toolbar's and
 * the menus' icons are Lucide's (lucide-react, also inline SVG); the few of the app's own are below.
 */
import type { SVGProps } from 'react';
export {
  Check as CheckIcon,
  ChevronRight as SubmenuIcon,
  Download as ExportIcon,
  Ellipsis as MoreIcon,
  FileClock as RevertIcon,
  FolderOpen as OpenIcon,
  Maximize2 as EnlargeIcon,
  Network as LayoutIcon,
  Pause as PauseIcon,
  Play as PlayIcon,
  Redo2 as RedoIcon,
  RotateCcw as ResetIcon,
  Save as SaveIcon,
  Scan as FitIcon,
  ScanSearch as InspectIcon,
  Sigma as NotationIcon,
  SkipForward as StepEpochIcon,
  StepForward as StepSampleIcon,
  ChevronsRight as StepBatchIcon,
  Undo2 as UndoIcon,
  type LucideIcon,
} from 'lucide-react';

const base = (props: SVGProps<SVGSVGElement>): SVGProps<SVGSVGElement> => ({
  width: '1em',
  height: '1em',
  viewBox: '0 0 16 16',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.4,
  strokeLinejoin: 'round',
  'aria-hidden': true,
  className: 'icon',
  ...props,
});

/** A folder. */
export function FolderIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg {...base(props)}>
      <path d="M1.5 4.5v8h13v-6.5h-7l-1.5-1.5z" />
    </svg>
  );
}

/** A project file: a page with a small network on it. */
export function ProjectIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg {...base(props)}>
      <path d="M3 1.5h7l3 3v10h-10z" />
      <circle cx="6" cy="7" r="1" />
      <circle cx="6" cy="11" r="1" />
      <circle cx="10" cy="9" r="1" />
      <path d="M7 7.4l2 1.2M7 10.6l2-1.2" />
    </svg>
  );
}

/** A padlock: a locked weight or bias, which training leaves alone. */
export function LockIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg {...base(props)}>
      <rect x="3" y="7" width="10" height="7" rx="1" />
      <path d="M5 7v-2a3 3 0 0 1 6 0v2" />
    </svg>
  );
}
