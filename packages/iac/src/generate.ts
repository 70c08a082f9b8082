import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import type { TGeneratedFile } from './model';
import { generateCloudFormation } from './cloudformation/generate';
import { generateTerraform } from './terraform/generate';

/**
 * The formats a version can be generated in. Terraform covers the three clouds, CloudFormation AWS designs (a design
 * with another cloud is refused, naming its components); Pulumi and Bicep are not written yet, so they are not offered.
 */
export const FORMATS = ['terraform', 'cloudformation'] as const;
export type TFormat = (typeof FORMATS)[number];

export function generate(graph: TBlueprintGraph, format: TFormat, meta: { blueprint: string; version: number }): TGeneratedFile[] {
  switch (format) {
    case 'terraform':
      return generateTerraform(graph, meta);
    case 'cloudformation':
      return generateCloudFormation(graph, meta);
  }
}
