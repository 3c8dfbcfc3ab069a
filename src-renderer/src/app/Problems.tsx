/**
 * The Problems list: every problem the live compiler finds, grouped by kind, each group in one
 * short line (problems.ts). Its height is capped and it scrolls inside itself, so however many
 * problems there are it never squeezes the canvas or the panels. Clicking a problem (or Enter on
 * it) selects the node or edge it names and brings it into view; a group of several selects them
 * all, and opens to list each. The arrow keys move between the problems, Home and End to the
 * first and last.
 */
import { useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { CompileResult } from '../../../engine/src/index';
import type { CanvasApi } from '../canvas/Canvas';
import { useStudio } from '../state/store';
import { groupProblems, type ProblemGroup, type ProblemItem } from './problems';
import { useCompileContext } from './use-live-compile';
import './Problems.css';

/** Problems of one group listed on the page; the rest are counted (a 10,000-input graph would otherwise make 10,000 rows). */
export const SHOWN_PER_GROUP = 50;

const plural = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

/** The ids a group or a problem names, for the selection. */
function idsOf(items: readonly ProblemItem[]): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    if (item.edgeId) ids.add(item.edgeId);
    else if (item.nodeId) ids.add(item.nodeId);
  }
  return [...ids];
}

export function Problems({ compiled, canvas }: { compiled: CompileResult | null; canvas: RefObject<CanvasApi | null> }) {
  const graph = useStudio((s) => s.project?.graph);
  const select = useStudio((s) => s.select);
  const context = useCompileContext();
  const groups = useMemo(() => (graph ? groupProblems(graph, compiled, context ?? undefined) : []), [graph, compiled, context]);
  const [open, setOpen] = useState(true);
  /** Groups of several problems opened to list each, by code and severity. */
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const list = useRef<HTMLDivElement>(null);
  if (groups.length === 0) return null;

  const errors = groups.filter((g) => g.severity === 'error').reduce((n, g) => n + g.items.length, 0);
  const warnings = groups.filter((g) => g.severity === 'warning').reduce((n, g) => n + g.items.length, 0);
  const counts = [errors ? plural(errors, 'problem') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');

  const show = (items: readonly ProblemItem[]) => {
    const ids = idsOf(items);
    if (ids.length === 0) return;
    select(ids);
    canvas.current?.reveal(ids);
  };
  const keyOf = (group: ProblemGroup) => `${group.severity}:${group.code}`;
  const toggle = (group: ProblemGroup) => {
    const next = new Set(expanded);
    if (next.has(keyOf(group))) next.delete(keyOf(group));
    else next.add(keyOf(group));
    setExpanded(next);
  };
  // Arrows move between the list's problem buttons (the disclosure buttons stay on Tab). A problem
  // that names no node is still focusable (aria-disabled, not disabled), so it is read out too.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const buttons = Array.from(list.current?.querySelectorAll<HTMLButtonElement>('button.problem') ?? []);
    if (buttons.length === 0) return;
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? buttons.length - 1
          : Math.min(buttons.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)));
    event.preventDefault();
    buttons[next].focus();
  };

  return (
    // A div: the window's slot for this list is the "Problems" region.
    <div className={`problems${open ? ' open' : ''}`} data-testid="problems">
      <header>
        <button
          type="button"
          className="problems-toggle"
          aria-expanded={open}
          aria-controls="problems-list"
          onClick={() => setOpen(!open)}
          data-testid="problems-toggle"
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Problems
        </button>
        <span className={errors ? 'problems-count error' : 'problems-count'}>{counts}</span>
      </header>
      {open && (
        <div className="problems-list" id="problems-list" ref={list} onKeyDown={onKeyDown} role="list">
          {groups.map((group) => {
            const several = group.items.length > 1;
            const isOpen = several && expanded.has(keyOf(group));
            const clickable = idsOf(group.items).length > 0;
            return (
              <div
                key={keyOf(group)}
                role="listitem"
                className={`problem-group ${group.severity}`}
                data-testid={`problem-group-${group.code}`}
              >
                <div className="problem-row">
                  {several ? (
                    <button
                      type="button"
                      className="problem-disclosure"
                      aria-expanded={isOpen}
                      aria-label={`${isOpen ? 'Hide' : 'List'} each of the ${group.items.length} problems`}
                      onClick={() => toggle(group)}
                    >
                      {isOpen ? '▾' : '▸'}
                    </button>
                  ) : (
                    <span className="problem-disclosure" aria-hidden="true" />
                  )}
                  <span className="problem-mark" aria-label={group.severity === 'error' ? 'Error' : 'Warning'}>
                    {group.severity === 'error' ? '✗' : '!'}
                  </span>
                  <button
                    type="button"
                    className="problem"
                    aria-disabled={!clickable || undefined}
                    title={clickable ? `${group.title}\n(select ${several ? 'them' : 'it'} on the canvas)` : group.title}
                    onClick={() => show(group.items)}
                    data-testid="problem"
                  >
                    {group.title}
                  </button>
                </div>
                {isOpen && (
                  <ul className="problem-items">
                    {group.items.slice(0, SHOWN_PER_GROUP).map((item, k) => (
                      <li key={k}>
                        <button
                          type="button"
                          className="problem"
                          aria-disabled={idsOf([item]).length === 0 || undefined}
                          title={item.message}
                          onClick={() => show([item])}
                          data-testid="problem-item"
                        >
                          {item.message}
                        </button>
                      </li>
                    ))}
                    {group.items.length > SHOWN_PER_GROUP && (
                      <li className="hint">… {(group.items.length - SHOWN_PER_GROUP).toLocaleString('en')} more of this kind</li>
                    )}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
