/**
 * Hooks shared by the live views (decision regions, unit maps, evaluation), which follow the
 * weights while training rewrites them up to 30 times a second.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Project } from '../../../engine/src/index';
import { useDigitsLoaded } from '../engine-shims/digits-data';

/**
 * `value`, updated at most every `ms` milliseconds and always to the latest one: a throttle, not
 * a debounce, because during training the value never settles.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (pending.current || Object.is(value, shown)) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      setShown(latest.current);
    }, ms);
  }, [value, shown, ms]);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  return shown;
}

/**
 * `prepare(project)` recomputed only when the data side of the project changes (dataset, split,
 * normalisation) — not with every weight; an error becomes its message.
 */
export function useDataPreparation<T>(project: Project, prepare: (project: Project) => T): T | string {
  // The digits' rows arrive after the first ask in the page (engine-shims/digits-data.ts): prepare again then.
  const digitsLoaded = useDigitsLoaded();
  return useMemo(() => {
    try {
      return prepare(project);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    // The data's preparation depends on these three alone; the rest of the project changes far more often.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project.dataset, project.split, project.normalisation, digitsLoaded]);
}
