import type { Metadata } from 'next';
import { ApiTokens } from '../../../../components/identity/api-tokens';

export const metadata: Metadata = { title: 'API tokens' };

export default function TokensPage() {
  return <ApiTokens />;
}
