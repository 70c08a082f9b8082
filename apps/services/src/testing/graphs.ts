import type { TBlueprintGraphInput } from '@dharma/db/blueprint-graph';

/** A small valid graph: a VPC containing a subnet, a VM on the subnet. */
export function smallGraph(instanceType = 't3.micro'): TBlueprintGraphInput {
  return {
    components: [
      { id: 'vpc', kind: 'vpc', name: 'dev-test-vpc-euw1', cloud: 'aws', region: 'eu-west-1', properties: { cidr: '10.0.0.0/16' }, tags: { Owner: 'tests' } },
      { id: 'subnet', kind: 'subnet', name: 'dev-test-subnet-euw1', cloud: 'aws', region: 'eu-west-1', properties: { cidr: '10.0.1.0/24' }, tags: {} },
      { id: 'vm', kind: 'vm', name: 'dev-test-vm-euw1', cloud: 'aws', region: 'eu-west-1', properties: { instanceType }, tags: {} },
    ],
    relations: [
      { from: 'subnet', to: 'vpc', type: 'contains' },
      { from: 'vm', to: 'subnet', type: 'depends_on' },
    ],
  };
}
