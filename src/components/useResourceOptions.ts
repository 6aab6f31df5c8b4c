/**
 * Loads one resource list for an editor field and reloads it when its filters change; a stale
 * answer (filters changed meanwhile) is dropped so a slow reply never overwrites a newer one.
 */
import { useEffect, useState } from 'react';

import type { ResourceOption, ResourceParams, ResourcePath } from '../shared/resources';
import type { ResourceOptionsSource } from '../types';

export interface ResourceOptionsState {
  options: ResourceOption[];
  loading: boolean;
  /** A sentence naming what failed, e.g. "Could not load event names (HTTP 502): …". */
  error?: string;
}

interface Loaded {
  /** Which request this answer belongs to. */
  key: string;
  options: ResourceOption[];
  error?: string;
}

export function useResourceOptions(
  datasource: ResourceOptionsSource,
  path: ResourcePath,
  params: ResourceParams
): ResourceOptionsState {
  const { region, trailName, eventSource, eventName } = params;
  const key = JSON.stringify([path, region, trailName, eventSource, eventName]);
  const [loaded, setLoaded] = useState<Loaded | undefined>();

  useEffect(() => {
    let current = true;
    datasource.listOptions(path, { region, trailName, eventSource, eventName }).then(
      (options) => current && setLoaded({ key, options }),
      (err: Error) => current && setLoaded({ key, options: [], error: err.message })
    );
    return () => {
      current = false;
    };
  }, [datasource, key, path, region, trailName, eventSource, eventName]);

  if (loaded?.key !== key) {
    // While the new list loads, keep showing the previous one (if any) rather than an empty menu.
    return { options: loaded?.options ?? [], loading: true };
  }
  return { options: loaded.options, loading: false, error: loaded.error };
}
