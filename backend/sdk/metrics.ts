/**
 * One Prometheus registry per process. Diagnostics/CollectMetrics returns its text exposition;
 * data source layers register their own counters on it.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry });
