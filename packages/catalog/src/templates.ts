import type { TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { awsServerlessApi, awsThreeTier, azureDataPlatform, gcpGkeService } from '@dharma/db/seed/sample-graphs';

/** A design to start from: the global templates every tenant has (a tenant's own templates are not built yet). */
export interface TTemplate {
  key: string;
  name: string;
  description: string;
  cloud: 'aws' | 'azure' | 'gcp';
  graph: TBlueprintGraphInput;
}

export const TEMPLATES: readonly TTemplate[] = [
  { key: 'aws-three-tier', name: 'Three-tier web application (AWS)', description: 'CloudFront, an application load balancer, an autoscaled web tier, Multi-AZ Postgres and Redis in one VPC, with alarms', cloud: 'aws', graph: awsThreeTier(3) },
  { key: 'aws-serverless-api', name: 'Serverless API (AWS)', description: 'API Gateway, Lambda, SQS and DynamoDB', cloud: 'aws', graph: awsServerlessApi() },
  { key: 'azure-data-platform', name: 'Data platform (Azure)', description: 'Event Hubs, a data lake, Data Factory, Synapse and Key Vault in a private network, with monitoring', cloud: 'azure', graph: azureDataPlatform(2) },
  { key: 'gcp-gke-service', name: 'Containerised service (GCP)', description: 'A private GKE cluster, Cloud SQL, Memorystore, a global load balancer and DNS', cloud: 'gcp', graph: gcpGkeService() },
];
