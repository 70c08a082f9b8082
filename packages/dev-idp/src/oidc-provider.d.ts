/**
 * Minimal typings for oidc-provider 9 (it ships none and @types/oidc-provider is not installed), covering only
 * what src/oidc.ts uses. Referenced from oidc.ts so that packages importing it type-check too.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The provider configuration object (see oidc-provider's docs/README.md "Configuration options"). */
  export type Configuration = Record<string, unknown>;

  /** The parts of the Koa context (with `ctx.oidc`) our helpers touch. */
  export interface OidcContext {
    type: string;
    body: unknown;
    status: number;
    oidc: Record<string, unknown>;
  }

  export interface InteractionDetails {
    uid: string;
    returnTo: string;
    prompt: {
      name: string;
      reasons: string[];
      details: Record<string, unknown> & { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    };
    params: Record<string, unknown>;
    session?: { accountId: string; uid: string; cookie?: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
    [prompt: string]: unknown;
  }

  export interface Grant {
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(ttl?: number): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface ClientPrototype {
    clientId: string;
    redirectUriAllowed(value: string): boolean;
    postLogoutRedirectUriAllowed(value: string): boolean;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: GrantConstructor;
    readonly Client: { prototype: ClientPrototype };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export default Provider;
}
