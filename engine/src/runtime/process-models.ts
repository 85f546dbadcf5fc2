/**
 * Published process versions parsed once (bpmn-moddle with the `wf:` extension) and kept,
 * so starting or recovering an instance never parses XML again.
 */
import { parseBpmn } from '../bpmn/moddle.js';
import type { DefinitionService } from '../definitions/index.js';

export interface ProcessModel {
  key: string;
  version: number;
  moddleContext: any;
  /** Elements by id, for reading a task's or service's extension data. */
  elements: Map<string, any>;
}

export class ProcessModels {
  private readonly models = new Map<string, Promise<ProcessModel>>();

  constructor(private readonly definitions: DefinitionService) {}

  async latestVersion(key: string): Promise<number> {
    return this.definitions.latestVersion('process', key);
  }

  get(key: string, version: number): Promise<ProcessModel> {
    const id = `${key}@${version}`;
    let model = this.models.get(id);
    if (!model) {
      model = this.load(key, version);
      model.catch(() => this.models.delete(id));
      this.models.set(id, model);
    }
    return model;
  }

  private async load(key: string, version: number): Promise<ProcessModel> {
    const definition = await this.definitions.get('process', key, version);
    const moddleContext = await parseBpmn(definition.content.xml);
    const elements = new Map<string, any>();
    for (const [id, element] of Object.entries<any>(moddleContext.elementsById ?? {})) elements.set(id, element);
    return { key, version, moddleContext, elements };
  }
}
