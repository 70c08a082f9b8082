import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import type { TGeneratedFile } from './model';
import { generateTerraform } from './terraform/generate';

/**
 * The formats a version can be generated in. Terraform covers the three clouds; CloudFormation (AWS), Pulumi and
 * Bicep (Azure) are not written yet, so they are not offered rather than offered and failing.
 */
export const FORMATS = ['terraform'] as const;
export type TFormat = (typeof FORMATS)[number];

export function generate(graph: TBlueprintGraph, format: TFormat, meta: { blueprint: string; version: number }): TGeneratedFile[] {
  switch (format) {
    case 'terraform':
      return generateTerraform(graph, meta);
  }
}
