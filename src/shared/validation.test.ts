import { CloudTrailInsightsQueryFields } from './queryModel';
import { formatIssues, hasTemplateVariable, isQueryComplete, validateQuery } from './validation';

const valid: CloudTrailInsightsQueryFields = {
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  insightType: 'ApiCallRateInsight',
  period: 'auto',
  dataType: 'FillWithZeros',
};

const messagesFor = (patch: Partial<CloudTrailInsightsQueryFields>, options = {}) =>
  validateQuery({ ...valid, ...patch }, options).map((i) => `${i.field}: ${i.message}`);

describe('validateQuery', () => {
  it('accepts a complete call-rate query and a complete error-rate query', () => {
    expect(validateQuery(valid)).toEqual([]);
    expect(validateQuery({ ...valid, insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied' })).toEqual([]);
    expect(validateQuery({ ...valid, period: 60, region: 'us-gov-west-1', trailName: 'management-trail' })).toEqual([]);
  });

  describe('eventSource', () => {
    it.each([
      ['', 'eventSource: Event source is required, e.g. iam.amazonaws.com.'],
      [
        'IAM.amazonaws.com',
        'eventSource: Event source "IAM.amazonaws.com" must be a service endpoint of lowercase letters, digits, "-" or "_" ending in .amazonaws.com, e.g. iam.amazonaws.com.',
      ],
      [
        'iam.amazonaws.com.evil',
        'eventSource: Event source "iam.amazonaws.com.evil" must be a service endpoint of lowercase letters, digits, "-" or "_" ending in .amazonaws.com, e.g. iam.amazonaws.com.',
      ],
      [
        'iam',
        'eventSource: Event source "iam" must be a service endpoint of lowercase letters, digits, "-" or "_" ending in .amazonaws.com, e.g. iam.amazonaws.com.',
      ],
      [`${'a'.repeat(243)}.amazonaws.com`, 'eventSource: Event source must be at most 256 characters.'],
    ])('%j → %s', (eventSource, message) => {
      expect(messagesFor({ eventSource })).toEqual([message]);
    });
    it('accepts exactly 256 characters, digits, "-" and "_"', () => {
      expect(messagesFor({ eventSource: `${'a'.repeat(242)}.amazonaws.com` })).toEqual([]);
      expect(messagesFor({ eventSource: 'access-analyzer_2.amazonaws.com' })).toEqual([]);
    });
  });

  describe('eventName', () => {
    it.each([
      ['', 'eventName: Event name is required, e.g. CreateUser.'],
      ['Create-User', 'eventName: Event name "Create-User" may contain only letters, digits and "_", e.g. CreateUser.'],
      ['Create User', 'eventName: Event name "Create User" may contain only letters, digits and "_", e.g. CreateUser.'],
      ['A'.repeat(129), 'eventName: Event name must be at most 128 characters.'],
    ])('%j → %s', (eventName, message) => {
      expect(messagesFor({ eventName })).toEqual([message]);
    });
    it('accepts exactly 128 characters', () => {
      expect(messagesFor({ eventName: 'A'.repeat(128) })).toEqual([]);
    });
  });

  describe('insightType and errorCode', () => {
    it('rejects an unknown insight type', () => {
      expect(messagesFor({ insightType: 'ApiCallInsight' as never })).toEqual([
        'insightType: Insight type must be one of ApiCallRateInsight, ApiErrorRateInsight.',
      ]);
    });
    it('requires an error code exactly for the error-rate type', () => {
      expect(messagesFor({ insightType: 'ApiErrorRateInsight' })).toEqual([
        'errorCode: Error code is required for the API error rate insight type, e.g. AccessDenied.',
      ]);
      expect(messagesFor({ errorCode: 'AccessDenied' })).toEqual([
        'errorCode: Error code applies only to the API error rate insight type; clear it or switch the type.',
      ]);
    });
    it('limits the error code to 128 characters', () => {
      expect(messagesFor({ insightType: 'ApiErrorRateInsight', errorCode: 'E'.repeat(128) })).toEqual([]);
      expect(messagesFor({ insightType: 'ApiErrorRateInsight', errorCode: 'E'.repeat(129) })).toEqual([
        'errorCode: Error code must be at most 128 characters.',
      ]);
    });
  });

  it('accepts only auto, 60, 300 and 3600 as period', () => {
    for (const period of ['auto', 60, 300, 3600] as const) {
      expect(messagesFor({ period })).toEqual([]);
    }
    expect(messagesFor({ period: 120 as never })).toEqual([
      'period: Period must be auto or one of 60, 300, 3600 seconds.',
    ]);
    expect(messagesFor({ period: '300' as never })).toEqual([
      'period: Period must be auto or one of 60, 300, 3600 seconds.',
    ]);
  });

  it('accepts only the API data types', () => {
    expect(messagesFor({ dataType: 'NonZeroData' })).toEqual([]);
    expect(messagesFor({ dataType: 'Zeros' as never })).toEqual([
      'dataType: Data type must be one of FillWithZeros, NonZeroData.',
    ]);
  });

  it('checks region and trail name shapes', () => {
    expect(messagesFor({ region: 'us-east' })).toEqual([
      'region: Region "us-east" is not an AWS region name such as us-east-1.',
    ]);
    expect(messagesFor({ trailName: 'a' })).toEqual([
      'trailName: Trail name "a" must be 3-128 letters, digits, ".", "_" or "-", or a trail ARN.',
    ]);
    expect(messagesFor({ trailName: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail' })).toEqual([]);
  });

  it('refuses an event source pasted as a URL, even though it ends in .amazonaws.com', () => {
    expect(messagesFor({ eventSource: 'https://iam.amazonaws.com' })).toEqual([
      'eventSource: Event source "https://iam.amazonaws.com" must be a service endpoint of lowercase letters, digits, "-" or "_" ending in .amazonaws.com, e.g. iam.amazonaws.com.',
    ]);
  });

  it.each(['aws-us-east-1', 'us-east-1a', 'useast-1'])(
    'refuses %j as a region (prefix, availability zone)',
    (region) => {
      expect(messagesFor({ region })).toEqual([
        `region: Region "${region}" is not an AWS region name such as us-east-1.`,
      ]);
    }
  );

  it('accepts regions numbered with two digits', () => {
    expect(messagesFor({ region: 'ap-southeast-10' })).toEqual([]);
  });

  it.each(['-trail', 'trail-', 'my trail', 't'.repeat(129)])(
    'refuses trail name %j (must start and end with a letter or digit, at most 128 characters)',
    (trailName) => {
      expect(messagesFor({ trailName })).toEqual([
        `trailName: Trail name "${trailName}" must be 3-128 letters, digits, ".", "_" or "-", or a trail ARN.`,
      ]);
    }
  );

  it('accepts trail names of 3 and 128 characters and trail ARNs of every partition', () => {
    expect(messagesFor({ trailName: 'abc' })).toEqual([]);
    expect(messagesFor({ trailName: 't'.repeat(128) })).toEqual([]);
    expect(
      messagesFor({ trailName: 'arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/org.trail_1' })
    ).toEqual([]);
    expect(messagesFor({ trailName: 'arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/t-1' })).toEqual([]);
  });

  it('reports every broken rule at once, in field order', () => {
    const issues = validateQuery({ insightType: 'ApiErrorRateInsight', period: 'auto', dataType: 'NonZeroData' });
    expect(issues.map((i) => i.field)).toEqual(['eventSource', 'eventName', 'errorCode']);
    expect(formatIssues(issues)).toBe(
      'Event source is required, e.g. iam.amazonaws.com. Event name is required, e.g. CreateUser. Error code is required for the API error rate insight type, e.g. AccessDenied.'
    );
  });

  it('lets template variables through in the editor but not in the backend', () => {
    const withVariables = { eventSource: '$source', eventName: '${name}', region: '[[region]]' };
    expect(messagesFor(withVariables, { allowTemplateVariables: true })).toEqual([]);
    expect(messagesFor(withVariables).map((m) => m.split(':')[0])).toEqual(['eventSource', 'eventName', 'region']);
    // A required field left empty is still reported in the editor.
    expect(messagesFor({ eventName: '' }, { allowTemplateVariables: true })).toEqual([
      'eventName: Event name is required, e.g. CreateUser.',
    ]);
  });
});

describe('hasTemplateVariable', () => {
  it.each([
    ['$region', true],
    ['${region:raw}', true],
    ['[[region]]', true],
    ['us-east-1', false],
    ['cost $', false],
  ])('%j → %s', (value, expected) => expect(hasTemplateVariable(value)).toBe(expected));
});

describe('isQueryComplete', () => {
  it('needs source and name, and an error code for the error-rate type', () => {
    expect(isQueryComplete(valid)).toBe(true);
    expect(isQueryComplete({ ...valid, eventName: '' })).toBe(false);
    expect(isQueryComplete({ ...valid, eventSource: undefined })).toBe(false);
    expect(isQueryComplete({ ...valid, insightType: 'ApiErrorRateInsight' })).toBe(false);
    expect(isQueryComplete({ ...valid, insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied' })).toBe(true);
  });
});

describe('validateQuery: events and annotations', () => {
  const issues = (query: Record<string, unknown>) => validateQuery(query);
  const fields = (query: Record<string, unknown>) => issues(query).map((issue) => issue.field);

  it('accepts an empty filter: every filter is optional', () => {
    expect(validateQuery({ queryType: 'events' })).toEqual([]);
    expect(validateQuery({ queryType: 'annotations', eventSource: '', eventName: '' })).toEqual([]);
    expect(isQueryComplete({ queryType: 'events' })).toBe(true);
  });

  it('checks each filter that is given', () => {
    expect(fields({ queryType: 'events', eventSource: 'IAM', eventName: 'Create User', region: 'moon' })).toEqual([
      'eventSource',
      'eventName',
      'region',
    ]);
    expect(fields({ queryType: 'events', insightType: 'Bogus', state: 'sometimes', eventsFormat: 'chart' })).toEqual([
      'insightType',
      'state',
      'eventsFormat',
    ]);
    expect(fields({ queryType: 'events', errorCode: 'x'.repeat(129) })).toEqual(['errorCode']);
    expect(fields({ queryType: 'events', insightType: 'ApiCallRateInsight', errorCode: 'AccessDenied' })).toEqual([
      'errorCode',
    ]);
    expect(fields({ queryType: 'events', errorCode: 'AccessDenied', state: 'ongoing', eventsFormat: 'count' })).toEqual(
      []
    );
  });

  it('says what each bad filter must be', () => {
    expect(issues({ queryType: 'events', insightType: 'Bogus', state: 'sometimes', eventsFormat: 'chart' })).toEqual([
      {
        field: 'insightType',
        message: 'Insight type filter must be empty (all types) or one of ApiCallRateInsight, ApiErrorRateInsight.',
      },
      { field: 'state', message: 'State must be one of all, ongoing, ended.' },
      { field: 'eventsFormat', message: 'Format must be one of table, count.' },
    ]);
    expect(validateQuery({ queryType: 'events', errorCode: 'x'.repeat(129) })).toEqual([
      { field: 'errorCode', message: 'Error code must be at most 128 characters.' },
    ]);
    expect(
      validateQuery({ queryType: 'events', insightType: 'ApiCallRateInsight', errorCode: 'AccessDenied' })
    ).toEqual([
      {
        field: 'errorCode',
        message: 'Only API error rate Insights have an error code; clear it or choose that insight type.',
      },
    ]);
  });

  it('accepts an error code of exactly 128 characters, and a call-rate filter with no or an empty error code', () => {
    expect(validateQuery({ queryType: 'events', errorCode: 'x'.repeat(128) })).toEqual([]);
    expect(validateQuery({ queryType: 'events', insightType: 'ApiCallRateInsight' })).toEqual([]);
    expect(validateQuery({ queryType: 'events', insightType: 'ApiCallRateInsight', errorCode: '' })).toEqual([]);
  });

  it('names an unknown query type and a bad value unit', () => {
    expect(validateQuery({ queryType: 'logs' })).toEqual([
      { field: 'queryType', message: 'Unknown query type "logs"; use one of metrics, events, annotations.' },
    ]);
    const metrics = {
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      insightType: 'ApiCallRateInsight',
      period: 'auto',
      dataType: 'FillWithZeros',
    } as const;
    expect(validateQuery({ ...metrics, valueUnit: 'perMinute' })).toEqual([]);
    expect(issues({ ...metrics, valueUnit: 'perHour' })).toEqual([
      { field: 'valueUnit', message: 'Value unit must be one of perPeriod, perMinute.' },
    ]);
  });
});

describe('validateQuery: the ErrorCode pattern, on both sides', () => {
  const metrics = {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    insightType: 'ApiErrorRateInsight',
    period: 'auto',
    dataType: 'FillWithZeros',
  } as const;

  it('refuses "Access Denied!" in a metrics query, naming the pattern and the character', () => {
    expect(validateQuery({ ...metrics, errorCode: 'Access Denied!' })).toEqual([
      {
        field: 'errorCode',
        message:
          'Error code "Access Denied!" may contain only letters, digits, spaces and _ . , - : [ ] (CloudTrail\'s pattern ^[\\w\\d\\s_.,\\-:\\[\\]]+$); "!" is not allowed. Use the code as CloudTrail reports it, e.g. AccessDenied.',
      },
    ]);
  });

  it('refuses it as an events or annotations filter too', () => {
    for (const queryType of ['events', 'annotations']) {
      expect(validateQuery({ queryType, errorCode: 'Throttling/Rate' }).map((i) => i.message)).toEqual([
        expect.stringContaining('"/" is not allowed'),
      ]);
    }
  });

  it.each(['AccessDenied', 'Client.UnauthorizedOperation', 'Server: busy [503], try-again', 'A b\tc', 'x'.repeat(128)])(
    'accepts %j (letters, digits, ASCII whitespace and _ . , - : [ ])',
    (errorCode) => {
      expect(validateQuery({ ...metrics, errorCode })).toEqual([]);
      expect(validateQuery({ queryType: 'events', errorCode })).toEqual([]);
    }
  );

  it.each([
    ['Access\u00a0Denied', 'U+00A0'],
    ['Accès', '"è"'],
    ['Denied\u2028', 'U+2028'],
    ['a<b>', '"<"'],
  ])('refuses %j, as AWS does (\\w and \\s are ASCII in its validator), naming %s', (errorCode, shown) => {
    expect(validateQuery({ ...metrics, errorCode })[0].message).toContain(`${shown} is not allowed`);
  });

  it('an events filter names the length first, then a call-rate type, then the pattern', () => {
    const events = { queryType: 'events', insightType: 'ApiCallRateInsight' } as const;
    expect(validateQuery({ ...events, errorCode: 'x'.repeat(129) })[0].message).toBe(
      'Error code must be at most 128 characters.'
    );
    expect(validateQuery({ ...events, errorCode: 'x'.repeat(128) })[0].message).toBe(
      'Only API error rate Insights have an error code; clear it or choose that insight type.'
    );
  });

  it('checks the length before the pattern, and leaves template variables to the backend in the editor', () => {
    expect(validateQuery({ ...metrics, errorCode: '!'.repeat(129) })[0].message).toBe(
      'Error code must be at most 128 characters.'
    );
    expect(validateQuery({ ...metrics, errorCode: '${code}' }, { allowTemplateVariables: true })).toEqual([]);
    expect(validateQuery({ ...metrics, errorCode: '${code}' })).toHaveLength(1);
  });
});

describe('validateQuery: the scope', () => {
  const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events';

  it.each(['metrics', 'events', 'annotations'])(
    "a %s query reads management events by default or a trail's data events",
    (queryType) => {
      const base: Record<string, unknown> =
        queryType === 'metrics'
          ? {
              eventSource: 's3.amazonaws.com',
              eventName: 'GetObject',
              insightType: 'ApiCallRateInsight',
              period: 'auto',
              dataType: 'FillWithZeros',
            }
          : { queryType };
      expect(validateQuery({ ...base, eventCategory: 'management' })).toEqual([]);
      expect(validateQuery({ ...base, eventCategory: 'data', trailName: arn })).toEqual([]);
      expect(validateQuery({ ...base, eventCategory: 'data', trailName: 'data-events' })).toEqual([]);
      expect(validateQuery({ ...base, eventCategory: 'data' })).toEqual([
        {
          field: 'trailName',
          message:
            'Data events need a trail: choose the trail whose data-event Insights to read, by name or ARN (e.g. arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events).',
        },
      ]);
      expect(validateQuery({ ...base, eventCategory: 'management', trailName: 'data-events' })).toEqual([
        {
          field: 'trailName',
          message: 'A trail applies only to the data events scope; clear the trail or switch the scope to data events.',
        },
      ]);
      expect(validateQuery({ ...base, eventCategory: 'insight' as never })).toEqual([
        { field: 'eventCategory', message: 'Scope must be one of management, data (events).' },
      ]);
      expect(validateQuery({ ...base, eventCategory: 'data', trailName: 'no such trail' }).map((i) => i.field)).toEqual(
        ['trailName']
      );
    }
  );
});
