export * from './rls';
export * from './tenancy';
export * from './projects';
export * from './blueprints';
export * from './identity';
export * from './audit';
export * from './sso';
export * from './guardrails';
