import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages export TypeScript source; only pure modules (the graph schema, the RBAC table) reach the browser.
  transpilePackages: ['@dharma/db', '@dharma/auth'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
