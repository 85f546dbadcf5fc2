/** Screen paths of the designer (the engine serves it under /designer/). */
export const BASE = '/designer';

export const paths = {
  home: `${BASE}/`,
  processes: `${BASE}/processes`,
  process: (key: string) => `${BASE}/processes/${key}`,
  forms: `${BASE}/forms`,
  form: (key: string) => `${BASE}/forms/${key}`,
  caseTypes: `${BASE}/case-types`,
  caseType: (key: string) => `${BASE}/case-types/${key}`,
  lookups: `${BASE}/lookups`,
  lookup: (key: string) => `${BASE}/lookups/${key}`,
  calendar: `${BASE}/calendar`,
};
