/**
 * Backend entry point, compiled into dist/gpx_cloudtrail_insights_<os>_<arch>.
 * TEMPORARY: serves the protocol-test echo instance until backend/cloudtrail provides
 * createCloudTrailInstance; then this becomes `serve({ factory: createCloudTrailInstance })`.
 */
import { serve } from './sdk/serve';
import { createEchoInstance } from './sdk/testing/echoInstance';

void serve({ factory: createEchoInstance });
