export * from './rls';
export * from './tenancy';
export * from './projects';
export * from './blueprints';
