// The bpmn-io panel libraries ship no type declarations; the designer uses them through
// the few calls in process/wf-properties-provider.ts and process/ProcessDesigner.tsx.
declare module 'bpmn-js-properties-panel';
declare module '@bpmn-io/properties-panel';
declare module '@bpmn-io/properties-panel/preact';
