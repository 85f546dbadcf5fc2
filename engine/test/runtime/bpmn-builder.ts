/**
 * Builds BPMN 2.0 XML with explicit incoming/outgoing and diagram data (so bpmnlint accepts it)
 * from a compact description, for tests of the process runtime.
 */
export interface NodeSpec {
  id: string;
  type: 'startEvent' | 'endEvent' | 'userTask' | 'serviceTask' | 'exclusiveGateway' | 'parallelGateway' | 'intermediateCatchEvent' | 'scriptTask' | 'receiveTask';
  name?: string;
  /** Inner XML (extension elements, event definitions). */
  body?: string;
}

export interface BoundarySpec {
  id: string;
  attachedTo: string;
  name?: string;
  interrupting: boolean;
  /** Inner XML: the event definition. */
  body: string;
}

export interface FlowSpec {
  id: string;
  from: string;
  to: string;
  name?: string;
  /** FEEL condition, written with a leading "=". */
  condition?: string;
}

/** Flows that join the nodes one after another (ids `<from>-<to>`). */
export const chain = (...ids: string[]): FlowSpec[] => ids.slice(1).map((to, i) => ({ id: `${ids[i]}-${to}`, from: ids[i], to }));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export const task = (candidateRoles: string, extra = '') =>
  `<bpmn:extensionElements><wf:task candidateRoles="${candidateRoles}" ${extra}/></bpmn:extensionElements>`;
export const service = (name: string, inputs: Record<string, string> = {}) =>
  `<bpmn:extensionElements><wf:service name="${name}">${Object.entries(inputs)
    .map(([k, v]) => `<wf:input name="${k}" value="${esc(v)}"/>`)
    .join('')}</wf:service></bpmn:extensionElements>`;
export const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind} xsi:type="bpmn:tFormalExpression">${esc(value)}</bpmn:${kind}></bpmn:timerEventDefinition>`;

export function buildBpmn(processId: string, nodes: NodeSpec[], flows: FlowSpec[], boundaries: BoundarySpec[] = []): string {
  const size = (n: NodeSpec) =>
    n.type.endsWith('Event') ? { w: 36, h: 36 } : n.type.endsWith('Gateway') ? { w: 50, h: 50 } : { w: 100, h: 80 };
  const pos = new Map<string, { x: number; y: number; w: number; h: number }>();
  nodes.forEach((n, i) => {
    const { w, h } = size(n);
    const col = i % 6;
    const row = Math.floor(i / 6);
    pos.set(n.id, { x: 100 + col * 180 + (100 - w) / 2, y: 100 + row * 200 + (80 - h) / 2, w, h });
  });
  boundaries.forEach((b, i) => {
    const host = pos.get(b.attachedTo)!;
    pos.set(b.id, { x: host.x + 10 + (i % 2) * 50, y: host.y + host.h - 18, w: 36, h: 36 });
  });
  const incoming = (id: string) => flows.filter((f) => f.to === id).map((f) => `<bpmn:incoming>${f.id}</bpmn:incoming>`).join('');
  const outgoing = (id: string) => flows.filter((f) => f.from === id).map((f) => `<bpmn:outgoing>${f.id}</bpmn:outgoing>`).join('');
  const nameAttr = (name?: string) => (name ? ` name="${esc(name)}"` : '');

  const nodeXml = nodes.map((n) => `<bpmn:${n.type} id="${n.id}"${nameAttr(n.name ?? n.id)}>${n.body ?? ''}${incoming(n.id)}${outgoing(n.id)}</bpmn:${n.type}>`);
  const boundaryXml = boundaries.map(
    (b) => `<bpmn:boundaryEvent id="${b.id}"${nameAttr(b.name ?? b.id)} attachedToRef="${b.attachedTo}" cancelActivity="${b.interrupting}">${outgoing(b.id)}${b.body}</bpmn:boundaryEvent>`,
  );
  const flowXml = flows.map(
    (f) => `<bpmn:sequenceFlow id="${f.id}"${nameAttr(f.name ?? (f.condition ? f.id : undefined))} sourceRef="${f.from}" targetRef="${f.to}">${
      f.condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(f.condition)}</bpmn:conditionExpression>` : ''
    }</bpmn:sequenceFlow>`,
  );
  const shapes = [...pos.entries()].map(
    ([id, p]) => `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}"/></bpmndi:BPMNShape>`,
  );
  const edges = flows.map((f) => {
    const a = pos.get(f.from)!;
    const b = pos.get(f.to)!;
    return `<bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}"><di:waypoint x="${a.x + a.w}" y="${a.y + a.h / 2}"/><di:waypoint x="${b.x}" y="${b.y + b.h / 2}"/></bpmndi:BPMNEdge>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:wf="urn:forms-workflow-engine:bpmn:1"
  id="${processId}-definitions" targetNamespace="urn:test">
  <bpmn:process id="${processId}" name="${processId}" isExecutable="true">
    ${[...nodeXml, ...boundaryXml, ...flowXml].join('\n    ')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="${processId}-diagram"><bpmndi:BPMNPlane id="${processId}-plane" bpmnElement="${processId}">
    ${[...shapes, ...edges].join('\n    ')}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

/**
 * Worker submits; supervisor (of the case's office) approves or rejects with a reason back to
 * the worker; admin approves or rejects; daily reminders while the supervisor has not acted; a
 * 7-day deadline on the supervisor's review escalates to the admin.
 */
export function twoLevelApproval(): string {
  return buildBpmn(
    'twoLevelApproval',
    [
      { id: 'start', type: 'startEvent', name: 'Started' },
      { id: 'join', type: 'exclusiveGateway', name: 'Ready to submit' },
      { id: 'submit', type: 'userTask', name: 'Worker submits', body: task('worker', 'scope="=list contains(caseRoles, &quot;worker&quot;)"') },
      { id: 'pending', type: 'serviceTask', name: 'Mark pending', body: service('setCaseStatus', { status: 'Pending Supervisor' }) },
      {
        id: 'review', type: 'userTask', name: 'Supervisor reviews',
        body: task('supervisor', 'scope="=user.attributes.office = case.data.office" due="P3D" decisions="approve,reject" reasonRequiredOn="reject"'),
      },
      { id: 'reviewDecision', type: 'exclusiveGateway', name: 'Supervisor decision?' },
      { id: 'rejectJoin', type: 'exclusiveGateway', name: 'Rejected' },
      { id: 'rejected', type: 'serviceTask', name: 'Mark rejected', body: service('setCaseStatus', { status: 'Rejected' }) },
      { id: 'adminJoin', type: 'exclusiveGateway', name: 'To admin' },
      { id: 'adminReview', type: 'userTask', name: 'Admin reviews', body: task('admin', 'decisions="approve,reject" reasonRequiredOn="reject"') },
      { id: 'adminDecision', type: 'exclusiveGateway', name: 'Admin decision?' },
      { id: 'approved', type: 'serviceTask', name: 'Mark approved', body: service('setCaseStatus', { status: 'Approved' }) },
      { id: 'done', type: 'endEvent', name: 'Approved' },
      { id: 'remind', type: 'serviceTask', name: 'Remind supervisor', body: service('queueNotification', { template: 'reminder', to: 'case:supervisor' }) },
      { id: 'reminded', type: 'endEvent', name: 'Reminder sent' },
      { id: 'escalate', type: 'serviceTask', name: 'Escalate', body: service('setCaseStatus', { status: 'Escalated' }) },
    ],
    [
      { id: 'f1', from: 'start', to: 'join' },
      { id: 'f2', from: 'join', to: 'submit' },
      { id: 'f3', from: 'submit', to: 'pending' },
      { id: 'f4', from: 'pending', to: 'review' },
      { id: 'f5', from: 'review', to: 'reviewDecision' },
      { id: 'supApprove', from: 'reviewDecision', to: 'adminJoin', name: 'Approved', condition: '=decision = "approve"' },
      { id: 'supReject', from: 'reviewDecision', to: 'rejectJoin', name: 'Rejected', condition: '=decision = "reject"' },
      { id: 'f5b', from: 'rejectJoin', to: 'rejected' },
      { id: 'f5c', from: 'adminJoin', to: 'adminReview' },
      { id: 'f6', from: 'rejected', to: 'join' },
      { id: 'f7', from: 'adminReview', to: 'adminDecision' },
      { id: 'adminApprove', from: 'adminDecision', to: 'approved', name: 'Approved', condition: '=decision = "approve"' },
      { id: 'adminReject', from: 'adminDecision', to: 'rejectJoin', name: 'Rejected', condition: '=decision = "reject"' },
      { id: 'f8', from: 'approved', to: 'done' },
      { id: 'f9', from: 'dailyReminder', to: 'remind' },
      { id: 'f10', from: 'remind', to: 'reminded' },
      { id: 'f11', from: 'deadline', to: 'escalate' },
      { id: 'f12', from: 'escalate', to: 'adminJoin' },
    ],
    [
      { id: 'dailyReminder', attachedTo: 'review', name: 'Every day at 08:00', interrupting: false, body: timer('timeCycle', 'R/2031-01-06T08:00/P1D') },
      { id: 'deadline', attachedTo: 'review', name: '7 days', interrupting: true, body: timer('timeDuration', 'P7D') },
    ],
  );
}
