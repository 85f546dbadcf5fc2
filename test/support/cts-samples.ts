/**
 * A complete, valid sample of every CTS advocacy document (merged over the prefilled draft), and
 * for each one required field that a sample missing it must be refused for. Fictional data only.
 */

export interface FormSample {
  data: Record<string, any>;
  /** A required field (pointer into the data) the sample is refused without. */
  required: string;
}

const goal = { goal: 'Re-enroll in school', actionSteps: 'Meet the school counselor; pick classes', actionBy: 'Advocate and youth', dueDate: '2027-01-15', status: 'In Progress' };

const frp = {
  response: {
    frpDate: '2026-11-02', callReceivedAt: '2026-11-02T21:10:00-08:00', arrivedAt: '2026-11-02T22:15:00-08:00',
    advocateName: 'Taylor Jones', lawEnforcementAgency: 'Los Angeles Police Department', stagingArea: 'Law Enforcement Station',
    respondingUnit: 'Probation Child Trafficking Unit (CTU)', outOfCountyOrState: false,
  },
  services: { humanitarianBagProvided: true, medicalClearanceExam: true, sartCompleted: false, safetyPlan72Hours: true, mdtWithin10Days: true, mdtDate: '2026-11-09' },
  trafficker: { identified: true, arrested: false },
  outcome: { initialPlacementDecision: 'Resource Family Home', statusAt72Hours: 'In Placement', statusAt10Days: 'In Placement' },
  narrative: 'Met the youth at the station with law enforcement; provided food, clothes and water.',
};

const items = [
  { item: 'Soccer cleats', category: 'Sports Equipment and Uniforms', quantity: 2, projectedCost: 45.5, actualCost: 40 },
  { item: 'Algebra tutoring session', category: 'Tutoring', quantity: 4, projectedCost: 30 },
];

export const SAMPLES: Record<string, FormSample> = {
  'frp-intake': { data: frp, required: '/outcome/statusAt10Days' },
  'first-responder-intake': { data: frp, required: '/response/lawEnforcementAgency' },
  'safety-plan': {
    data: {
      planDate: '2026-11-05', youthParticipated: true, safetyConcerns: 'Contact with an older acquaintance', copingSkills: 'Music, calling a friend',
      trustedMembers: [{ name: 'Aunt', relationship: 'Relative', phone: '(555) 010-7001' }], emergencySteps: 'Call the advocate or 911',
    },
    required: '/copingSkills',
  },
  'strengths-needs-assessment': {
    data: {
      assessmentDate: '2026-11-20', firstFaceToFaceDate: '2026-11-12', summary: 'Engaged, wants to finish school.',
      domains: Object.fromEntries(['safety', 'housing', 'education', 'mentalHealth', 'family'].map((d) => [d, { strengths: 'Some', needs: 'Some', priority: 'Medium' }])),
    },
    required: '/domains/education/needs',
  },
  'advocacy-plan': {
    data: {
      phase: 'Phase I (Crisis/Stabilization)', strengths: 'Resilient, artistic', priorityNeeds: 'Stable housing, school', longTermGoals: [goal],
      safety: { currentConcerns: 'Runaway risk', concerns: 'Old contacts', copingSkills: 'Drawing', trustedMembers: 'Aunt, coach' },
    },
    required: '/longTermGoals/0/actionSteps',
  },
  'six-month-review': {
    data: {
      reportDate: '2027-01-10', periodFrom: '2026-07-10', periodTo: '2027-01-10', contactsSummary: 'Weekly visits',
      goalProgress: [{ goal: 'Re-enroll in school', status: 'Achieved' }], engagement: 'Good', recommendation: 'Continue Services',
    },
    required: '/recommendation',
  },
  'termination-report': {
    data: {
      terminationDate: '2027-06-30', workerName: 'Thanh Nguyen', terminationReason: 'Completed Program',
      longTermGoals: [{ goal: 'Finish 10th grade', achieved: 'Yes' }, { goal: 'Get a job', achieved: 'No', whyNot: 'Still looking' }],
      communityResources: [{ name: 'Youth Center', description: 'Drop-in center', contact: 'info@example.org' }],
    },
    required: '/terminationReason',
  },
  'extension-request': {
    data: {
      requestDate: '2027-06-10', extensionNumber: 'First Extension', extensionStart: '2027-07-10',
      reason: 'Goals in progress', goalsRemaining: 'Employment', progress: 'School goal met',
    },
    required: '/goalsRemaining',
  },
  'restoration-funds-request': {
    data: { requestDate: '2026-11-15', requestor: 'Taylor Jones', items, justification: 'Supports the advocacy plan goal of joining a team.' },
    required: '/justification',
  },
  'auxiliary-funds-request': {
    data: { requestDate: '2026-11-15', requestor: 'Taylor Jones', items, justification: 'Supports school attendance.' },
    required: '/items/1/quantity',
  },
  'release-of-information': {
    data: {
      authorizedBy: { name: 'Sam Poe', relationship: 'Self (Youth)' }, releaseTo: { name: 'Example High School' }, information: ['Advocacy Plan'],
      purpose: 'Coordinate school support', effectiveDate: '2026-11-01', expirationDate: '2027-11-01', rightToRevoke: true,
      signedBy: 'Sam Poe', signatureDate: '2026-11-01',
    },
    required: '/signedBy',
  },
  'workshop-debrief': {
    data: {
      workshopDate: '2026-11-18', title: 'Healthy relationships', facilitators: [{ name: 'Taylor Jones' }], participants: 8,
      objectives: 'Warning signs of exploitation', engagement: 'High', safetyConcern: false,
    },
    required: '/participants',
  },
  'advocate-activity': {
    data: {
      activityDate: '2026-11-03', activityType: 'Survivor Advocacy', subcategory: ['Face to Face (Youth)', 'Transportation of Youth'],
      serviceUnits: '01:30', narrative: 'Took the youth to a medical appointment.', signedUp: 1, participants: 1, isCompleted: true,
    },
    required: '/serviceUnits',
  },
};

/** A copy of `data` without the field at `pointer`. */
export function without(data: Record<string, any>, pointer: string): Record<string, any> {
  const copy = structuredClone(data);
  const tokens = pointer.slice(1).split('/');
  let node: any = copy;
  for (const token of tokens.slice(0, -1)) node = node[token];
  delete node[tokens[tokens.length - 1]];
  return copy;
}

/** `over` merged into `base`, objects deeply, everything else replaced. */
export function merge(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = structuredClone(base);
  for (const [key, value] of Object.entries(over)) {
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && out[key] && typeof out[key] === 'object' && !Array.isArray(out[key])
      ? merge(out[key], value)
      : structuredClone(value);
  }
  return out;
}
