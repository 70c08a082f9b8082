import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages export TypeScript source; only pure modules reach the browser (the graph schema, the RBAC
  // table, and the catalog, guardrail and cost engines the designer runs live).
  transpilePackages: ['@dharma/db', '@dharma/auth', '@dharma/catalog', '@dharma/guardrails', '@dharma/costing'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
