/** Entry of the browser test page; boot data must be in place before Grafana's packages load. */
import './bootData';

import React from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, ThemeContext } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';

import { App, type PageSettings } from './App';
import { provideGrafanaServices } from './grafanaServices';

provideGrafanaServices();

const settings = (window as unknown as { __PAGE_SETTINGS__: PageSettings }).__PAGE_SETTINGS__;
const theme = createTheme({ colors: { mode: 'dark' } });

createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <App settings={settings} />
  </ThemeContext.Provider>
);
