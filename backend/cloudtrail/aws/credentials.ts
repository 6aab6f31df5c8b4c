/**
 * Credential providers for each auth type, as grafana-aws-sdk (`pkg/awsauth/auth.go`,
 * `settings.go`) builds them, all from @aws-sdk/credential-providers (no hand-written chains):
 * - `default` and `ec2_iam_role`: the SDK's default chain of the Grafana server (env keys, the
 *   server's shared config/credentials files as AWS_PROFILE names them, IRSA web identity, ECS and
 *   EKS Pod Identity container credentials with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE), IMDSv2).
 *   A `profile` in jsonData is ignored here: only `credentials` reads it, so a data source admin
 *   cannot pick another of the server's profiles where `credentials` is not allowed.
 * - `credentials`: that profile (else AWS_PROFILE, else `default`) of the server's files.
 * - `keys`: the data source's own secrets.
 * - assume role on top of any of them: sts:AssumeRole with the data source's own external ID only
 *   (Grafana's `[aws] external_id` is Grafana Cloud's, for Grafana Assume Role) and
 *   DurationSeconds = `[aws] session_duration` (default 15 min, stscreds' default).
 * Who they act as is proven in accounts.ts.
 */
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { proxyAwareRequestHandler } from './proxy';
import type { AuthPolicy, CloudTrailSettings } from './settings';
import { namingAssumeRoleFailures } from './assumeRole';
import { responseGuard } from './responseGuard';

/** The session name CloudTrail records for calls made with an assumed role. */
export const ROLE_SESSION_NAME = 'grafana-cloudtrail-insights';

/** The request handler (proxy-aware agents) for the STS/SSO clients providers create. */
type RequestHandler = ReturnType<typeof proxyAwareRequestHandler>;

/** The STS/SSO clients providers create read bounded bodies, like the CloudTrail clients. */
const clientPlugins = [responseGuard];

function baseProvider(
  settings: CloudTrailSettings,
  env: NodeJS.ProcessEnv,
  requestHandler?: RequestHandler
): AwsCredentialIdentityProvider {
  const clientConfig = requestHandler ? { requestHandler } : undefined;
  switch (settings.authType) {
    case 'keys': {
      const identity: AwsCredentialIdentity = {
        accessKeyId: settings.accessKey ?? '',
        secretAccessKey: settings.secretKey ?? '',
        sessionToken: settings.sessionToken,
      };
      return async () => identity;
    }
    case 'credentials':
      return fromIni({ profile: settings.profile ?? env.AWS_PROFILE ?? 'default', clientConfig, clientPlugins });
    case 'ec2_iam_role':
    case 'default':
    default:
      // A metadata or container endpoint gets 2 s and one retry (the SDK's IMDS default is none).
      return fromNodeProviderChain({ clientConfig, clientPlugins, timeout: 2000, maxRetries: 1 });
  }
}

/** The provider for `region`: the base credentials, wrapped in AssumeRole when a role ARN is set. */
export function credentialProvider(
  settings: CloudTrailSettings,
  policy: AuthPolicy,
  region: string,
  env: NodeJS.ProcessEnv,
  requestHandler?: RequestHandler
): AwsCredentialIdentityProvider {
  const base = baseProvider(settings, env, requestHandler);
  if (!settings.assumeRoleArn) {
    return base;
  }
  const assumed = fromTemporaryCredentials({
    params: {
      RoleArn: settings.assumeRoleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      DurationSeconds: policy.sessionDurationSeconds,
      ...(settings.externalId ? { ExternalId: settings.externalId } : {}),
    },
    masterCredentials: base,
    clientPlugins,
    // A custom endpoint (simulator, VPC endpoint) serves STS too.
    clientConfig: {
      region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      maxAttempts: 2,
      ...(requestHandler ? { requestHandler } : {}),
    },
  });
  return namingAssumeRoleFailures(settings.assumeRoleArn, assumed);
}
