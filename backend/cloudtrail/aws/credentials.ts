/**
 * Credential providers for each auth type, all from @aws-sdk/credential-providers (no hand-written
 * chains). Who they act as is proven in accounts.ts.
 */
import {
  fromContainerMetadata,
  fromInstanceMetadata,
  fromIni,
  fromNodeProviderChain,
  fromTemporaryCredentials,
} from '@aws-sdk/credential-providers';
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
      // ECS/EKS expose a container endpoint; plain EC2 uses the instance metadata service.
      return env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI
        ? fromContainerMetadata({ timeout: 2000, maxRetries: 1 })
        : fromInstanceMetadata({ timeout: 2000, maxRetries: 1 });
    case 'default':
    default:
      return fromNodeProviderChain({
        ...(settings.profile ? { profile: settings.profile } : {}),
        clientConfig,
        clientPlugins,
      });
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
  const externalId = settings.externalId ?? policy.grafanaExternalId;
  const assumed = fromTemporaryCredentials({
    params: {
      RoleArn: settings.assumeRoleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      ...(externalId ? { ExternalId: externalId } : {}),
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
