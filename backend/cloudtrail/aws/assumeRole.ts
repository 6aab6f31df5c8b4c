/**
 * Marks failures of the sts:AssumeRole call behind an assume-role data source, so that they are
 * reported as what they are (the role's trust policy, the base credentials' sts:AssumeRole
 * permission, the external ID) rather than as a failure of the CloudTrail call that needed them.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export class AssumeRoleError extends Error {
  constructor(
    readonly roleArn: string,
    override readonly cause: unknown
  ) {
    super((cause as Error | undefined)?.message ?? String(cause));
    this.name = 'AssumeRoleError';
  }
}

/** `provider` (an AssumeRole provider for `roleArn`) with its failures wrapped in AssumeRoleError. */
export function namingAssumeRoleFailures(
  roleArn: string,
  provider: AwsCredentialIdentityProvider
): AwsCredentialIdentityProvider {
  return async (options) => {
    try {
      return await provider(options);
    } catch (error) {
      throw error instanceof AssumeRoleError ? error : new AssumeRoleError(roleArn, error);
    }
  };
}
