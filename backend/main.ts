/** Backend entry point, compiled into dist/gpx_cloudtrail_insights_<os>_<arch>. */
import { serve } from './sdk/serve';
import { metricsRegistry } from './sdk/metrics';
import { makeCloudTrailInstanceFactory, tooManyQueriesMessage } from './cloudtrail/plugin/instance';
import { processServices } from './cloudtrail/plugin/wiring';

// The process's singletons, made once from its environment (grafana.ini's [plugin.<id>] arrives as GF_PLUGIN_*).
const services = processServices(process.env);
void serve({
  factory: makeCloudTrailInstanceFactory(services),
  metrics: metricsRegistry,
  // max_queries_per_request: the queries of one QueryData request past it answer 400 without running.
  queryLimit: { max: services.maxQueriesPerRequest, message: tooManyQueriesMessage },
});
