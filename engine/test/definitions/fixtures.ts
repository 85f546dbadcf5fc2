/** Valid content of each kind, for tests to publish as is or to break on purpose. */

export function validForm(): Record<string, any> {
  return {
    title: 'Intake',
    description: 'First contact',
    schema: {
      type: 'object',
      required: ['person'],
      properties: {
        person: {
          type: 'object',
          title: 'Person',
          required: ['name'],
          properties: {
            name: { type: 'string', title: 'Name', minLength: 1 },
            dob: { type: 'string', format: 'date', title: 'Date of birth' },
          },
        },
        age: { type: 'integer', title: 'Age', minimum: 0 },
        language: { type: 'string', title: 'Language', enum: ['en', 'es'] },
        contacts: {
          type: 'array',
          title: 'Contacts',
          items: { type: 'object', properties: { phone: { type: 'string', title: 'Phone' } } },
        },
      },
    },
    uischema: {
      type: 'VerticalLayout',
      elements: [
        { type: 'Control', scope: '#/properties/person/properties/name' },
        { type: 'Control', scope: '#/properties/person/properties/dob' },
        {
          type: 'Group',
          label: 'More',
          elements: [
            { type: 'Control', scope: '#/properties/age' },
            {
              type: 'Control',
              scope: '#/properties/language',
              rule: { effect: 'SHOW', condition: { scope: '#/properties/age', schema: { minimum: 12 } } },
            },
          ],
        },
        {
          type: 'Control',
          scope: '#/properties/contacts',
          options: { detail: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/phone' }] } },
        },
      ],
    },
    prefill: { '/person/dob': '/data/dob' },
    owner: 'kept as is',
  };
}

export function validCaseType(): Record<string, any> {
  return {
    ...validForm(),
    title: 'Case',
    prefill: undefined,
    numbering: { prefix: 'C-', digits: 6 },
    statuses: ['open', 'closed'],
    initialStatus: 'open',
    roles: ['worker', 'supervisor'],
  };
}

export function validLookup(): Record<string, any> {
  return {
    title: 'Languages',
    items: [
      { code: 'en', label: 'English' },
      { code: 'es', label: 'Spanish' },
      { code: 'xx', label: 'Old', retired: true },
    ],
  };
}

/** start → user task → end, with explicit incoming/outgoing and diagram data, as bpmnlint wants. */
export const VALID_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                  id="Definitions_review" targetNamespace="http://example.org/bpmn">
  <bpmn:process id="review" name="Review" isExecutable="true">
    <bpmn:startEvent id="Start" name="Requested">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="Review" name="Review request">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End" name="Reviewed">
      <bpmn:incoming>Flow_2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Review" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Review" targetRef="End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_review">
    <bpmndi:BPMNPlane id="Plane_review" bpmnElement="review">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start">
        <dc:Bounds x="100" y="100" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Review_di" bpmnElement="Review">
        <dc:Bounds x="200" y="78" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_di" bpmnElement="End">
        <dc:Bounds x="370" y="100" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">
        <di:waypoint x="136" y="118" />
        <di:waypoint x="200" y="118" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2">
        <di:waypoint x="300" y="118" />
        <di:waypoint x="370" y="118" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;

/** The valid process with the start event's outgoing flow (and its diagram edge) removed. */
export const START_WITHOUT_OUTGOING_BPMN = VALID_BPMN
  .replace('<bpmn:outgoing>Flow_1</bpmn:outgoing>', '')
  .replace('<bpmn:incoming>Flow_1</bpmn:incoming>', '')
  .replace('<bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Review" />', '')
  .replace(/<bpmndi:BPMNEdge id="Flow_1_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, '');

/** The valid process without its end event: the user task ends the process implicitly. */
export const NO_END_EVENT_BPMN = VALID_BPMN
  .replace('<bpmn:outgoing>Flow_2</bpmn:outgoing>', '')
  .replace(/<bpmn:endEvent id="End"[\s\S]*?<\/bpmn:endEvent>/, '')
  .replace('<bpmn:sequenceFlow id="Flow_2" sourceRef="Review" targetRef="End" />', '')
  .replace(/<bpmndi:BPMNShape id="End_di"[\s\S]*?<\/bpmndi:BPMNShape>/, '')
  .replace(/<bpmndi:BPMNEdge id="Flow_2_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, '');
