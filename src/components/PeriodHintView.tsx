/** Shows the resolved period and any retention notice under the query editor, updated live. */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

import type { PeriodHint } from '../periodHint';

export function PeriodHintView({ hint }: { hint: PeriodHint }) {
  const styles = useStyles2(getStyles);
  if (!hint.ok) {
    return (
      <div className={styles.warning} data-testid="period-hint" role="status">
        <Icon name="exclamation-triangle" /> {hint.error}
      </div>
    );
  }
  return (
    <div data-testid="period-hint" role="status">
      <div className={styles.hint}>
        <Icon name="clock-nine" /> {hint.text}
      </div>
      {hint.notices.map((notice) => (
        <div key={notice.text} className={notice.severity === 'warning' ? styles.warning : styles.hint}>
          <Icon name={notice.severity === 'warning' ? 'exclamation-triangle' : 'info-circle'} /> {notice.text}
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  hint: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  warning: css({ color: theme.colors.warning.text, fontSize: theme.typography.bodySmall.fontSize }),
});
