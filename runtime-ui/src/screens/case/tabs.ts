/**
 * The case screen's tabs and which forms and case data they show. The wording follows the
 * county's training slides; the forms and fields named here are the case type's own.
 */
export const CASE_TABS = {
  summary: { label: 'Client Summary', field: 'clientSummary' },
  // A phase's deliverable is titled "<label> <phase>"; a plan started from it starts with that `phaseField`.
  plan: { label: 'Advocacy Plan', form: 'advocacy-plan', phaseField: 'phase', columns: { start: 'startDate', projectedEnd: 'projectedEndDate', actualEnd: 'actualEndDate' } },
  activity: { label: 'Advocate Activity', form: 'advocate-activity', columns: { date: 'activityDate', type: 'activityType', units: 'serviceUnits' } },
  documents: { label: 'Documents' },
} as const;
