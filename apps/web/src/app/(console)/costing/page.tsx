import type { Metadata } from 'next';
import { CostSettings } from '../../../components/costing/cost-settings';

export const metadata: Metadata = { title: 'Costs & budgets' };

export default function CostingPage() {
  return <CostSettings />;
}
