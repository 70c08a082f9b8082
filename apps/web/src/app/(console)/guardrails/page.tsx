import type { Metadata } from 'next';
import { PolicyLibrary } from '../../../components/guardrails/policy-library';

export const metadata: Metadata = { title: 'Guardrails' };

export default function GuardrailsPage() {
  return <PolicyLibrary />;
}
