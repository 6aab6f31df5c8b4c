import { defaultDisplayName, displayName, renderLegend, seriesLabels } from './labels';

const callRate = {
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  insightType: 'ApiCallRateInsight' as const,
};
const errorRate = { ...callRate, insightType: 'ApiErrorRateInsight' as const, errorCode: 'AccessDenied' };

describe('labels', () => {
  it('labels a series by region, source, name, type and error code', () => {
    expect(seriesLabels(callRate, 'us-east-1')).toEqual({
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      insightType: 'ApiCallRateInsight',
    });
    expect(seriesLabels(errorRate, 'eu-west-1').errorCode).toBe('AccessDenied');
    expect(seriesLabels({ ...callRate, errorCode: 'Ignored' }, 'eu-west-1').errorCode).toBeUndefined();
    expect(seriesLabels({ ...callRate, trailName: 'data-trail' }, 'eu-west-1').trailName).toBe('data-trail');
  });

  it('has no trailName or errorCode label at all when they do not apply (labels are series identity)', () => {
    expect(seriesLabels(callRate, 'us-east-1')).toStrictEqual({
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      insightType: 'ApiCallRateInsight',
    });
    expect(Object.keys(seriesLabels({ ...errorRate, trailName: '' }, 'us-east-1'))).toEqual([
      'region',
      'eventSource',
      'eventName',
      'insightType',
      'errorCode',
    ]);
  });

  it('names a series even when its labels lack an event source', () => {
    expect(defaultDisplayName({ eventName: 'CreateUser', insightType: 'ApiCallRateInsight' })).toBe(
      'CreateUser () call rate'
    );
  });

  it('renders {{label}} placeholders and blanks unknown ones', () => {
    const labels = seriesLabels(errorRate, 'us-east-1');
    expect(renderLegend('{{eventName}} {{ errorCode }} in {{region}}{{nope}}', labels)).toBe(
      'CreateUser AccessDenied in us-east-1'
    );
  });

  it('has readable default names', () => {
    expect(defaultDisplayName(seriesLabels(callRate, 'us-east-1'))).toBe('CreateUser (iam) call rate');
    expect(defaultDisplayName(seriesLabels(errorRate, 'us-east-1'))).toBe('CreateUser AccessDenied (iam) error rate');
  });

  it('uses the legend format when one is set', () => {
    const labels = seriesLabels(callRate, 'us-east-1');
    expect(displayName('{{region}}', labels)).toBe('us-east-1');
    expect(displayName('  ', labels)).toBe('CreateUser (iam) call rate');
    expect(displayName(undefined, labels)).toBe('CreateUser (iam) call rate');
  });

  it('says per minute in the default name of a per-minute series, not in a legend', () => {
    const labels = seriesLabels(callRate, 'us-east-1');
    expect(displayName(undefined, labels, 'perMinute')).toBe('CreateUser (iam) call rate per minute');
    expect(displayName(undefined, labels, 'perPeriod')).toBe('CreateUser (iam) call rate');
    expect(displayName('{{eventName}}', labels, 'perMinute')).toBe('CreateUser');
  });
});
