/** Backend entry point, compiled into dist/gpx_cloudtrail_insights_<os>_<arch>. */
import { serve } from './sdk/serve';
import { metricsRegistry } from './sdk/metrics';
import { createCloudTrailInstance } from './cloudtrail/plugin/instance';

void serve({ factory: createCloudTrailInstance, metrics: metricsRegistry });
