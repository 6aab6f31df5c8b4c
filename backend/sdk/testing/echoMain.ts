/**
 * Entry point of the protocol-test executable: the same serve() and build pipeline as the
 * product, answering with the echo data source. Built by `npm run build:echo-backend` into
 * .cache/protocol-echo/ (never shipped); used by the Go interop harness, the smoke tests and
 * the protocol benchmark, whose expectations must not depend on CloudTrail data.
 */
import { serve } from '../serve';
import { createEchoInstance } from './echoInstance';

void serve({ factory: createEchoInstance });
