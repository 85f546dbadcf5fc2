/** The little of bpmn-moddle the engine uses (the package ships no declarations for its entry). */
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    $type: string;
    id?: string;
    [property: string]: any;
  }
  export interface ModdleWarning extends Error {
    element?: { id?: string; $type?: string };
    property?: string;
    value?: unknown;
  }
  export interface ParseResult {
    rootElement: ModdleElement;
    warnings: ModdleWarning[];
    elementsById: Record<string, ModdleElement>;
    references: unknown[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
