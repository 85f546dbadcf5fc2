/**
 * The moddle descriptor of the project's BPMN extension namespace (`wf:`), for bpmn-moddle on
 * the server and bpmn-js in the designer. Kept as a module (not a JSON file read at run time)
 * so the built engine carries it.
 */
export const wfModdleDescriptor = {
  "name": "Workflow",
  "prefix": "wf",
  "uri": "urn:forms-workflow-engine:bpmn:1",
  "xml": {
    "tagAlias": "lowerCase"
  },
  "associations": [],
  "types": [
    {
      "name": "Task",
      "superClass": [
        "Element"
      ],
      "meta": {
        "allowedIn": [
          "bpmn:UserTask"
        ]
      },
      "properties": [
        {
          "name": "candidateRoles",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "scope",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "due",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "form",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "decisions",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "reasonRequiredOn",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "reassignRoles",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "inputs",
          "isAttr": true,
          "type": "String"
        }
      ]
    },
    {
      "name": "Service",
      "superClass": [
        "Element"
      ],
      "meta": {
        "allowedIn": [
          "bpmn:ServiceTask"
        ]
      },
      "properties": [
        {
          "name": "name",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "inputs",
          "type": "Input",
          "isMany": true
        }
      ]
    },
    {
      "name": "Input",
      "superClass": [
        "Element"
      ],
      "properties": [
        {
          "name": "name",
          "isAttr": true,
          "type": "String"
        },
        {
          "name": "value",
          "isAttr": true,
          "type": "String"
        }
      ]
    }
  ]
};
