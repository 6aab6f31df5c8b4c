/**
 * Calls the backend's resource routes (regions, event sources, …) and turns every failure into one
 * readable message naming what could not be loaded, so editors can show it instead of failing silently.
 */
import { RESOURCE_PATHS, type InsightListParams, type ResourceOption, type ResourcePath } from './shared/resources';

/** How the data source class reaches the backend (DataSourceWithBackend.getResource). */
export type GetResource = (
  path: string,
  params?: Record<string, string>,
  options?: { showErrorAlert?: boolean }
) => Promise<unknown>;

const WHAT: Record<ResourcePath, string> = {
  [RESOURCE_PATHS.regions]: 'regions',
  [RESOURCE_PATHS.eventSources]: 'event sources',
  [RESOURCE_PATHS.eventNames]: 'event names',
  [RESOURCE_PATHS.errorCodes]: 'error codes',
  [RESOURCE_PATHS.trails]: 'trails',
  [RESOURCE_PATHS.insights]: 'Insights events',
};

export class ResourceLoadError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message);
    this.name = 'ResourceLoadError';
  }
}

/** The most specific text a failed fetch carries: the backend's `{error}`, then Grafana's `{message}`. */
function failureText(err: unknown): { text: string; status?: number } {
  if (err && typeof err === 'object') {
    const { data, status, statusText, message } = err as {
      data?: { error?: unknown; message?: unknown };
      status?: unknown;
      statusText?: unknown;
      message?: unknown;
    };
    const text = [data?.error, data?.message, message, statusText].find(
      (candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== ''
    );
    return { text: text ?? 'unknown error', status: typeof status === 'number' ? status : undefined };
  }
  return { text: typeof err === 'string' && err ? err : 'unknown error' };
}

function isOption(value: unknown): value is ResourceOption {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ResourceOption).value === 'string' &&
    typeof (value as ResourceOption).label === 'string'
  );
}

/** Drops empty parameters so the backend sees only the filters the user set. */
function cleanParams(params: InsightListParams): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => typeof value === 'string' && value !== ''));
}

export async function loadResource(
  getResource: GetResource,
  path: ResourcePath,
  params: InsightListParams = {}
): Promise<ResourceOption[]> {
  let body: unknown;
  try {
    body = await getResource(path, cleanParams(params), { showErrorAlert: false });
  } catch (err) {
    const { text, status } = failureText(err);
    const code = status ? ` (HTTP ${status})` : '';
    throw new ResourceLoadError(`Could not load ${WHAT[path]}${code}: ${text}`, status);
  }
  if (!Array.isArray(body) || !body.every(isOption)) {
    throw new ResourceLoadError(`Could not load ${WHAT[path]}: the backend answered with an unexpected shape.`);
  }
  return body;
}
