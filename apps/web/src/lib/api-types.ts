import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@dharma/services/routers/app.router';

export type TRouterInputs = inferRouterInputs<AppRouter>;
export type TRouterOutputs = inferRouterOutputs<AppRouter>;

export type TListInput = TRouterInputs['blueprints']['list'];
export type TBlueprintList = TRouterOutputs['blueprints']['list'];
export type TBlueprintSummary = TBlueprintList['items'][number];
export type TBlueprintDetail = TRouterOutputs['blueprints']['byId'];
export type TVersionSummary = TRouterOutputs['blueprints']['versions'][number];
export type TDiffResult = TRouterOutputs['blueprints']['diff'];
export type TProject = TRouterOutputs['projects']['list'][number];
export type TSystemStats = TRouterOutputs['monitoring']['system'];
export type TTenantStats = TRouterOutputs['monitoring']['tenant'];
export type TStatus = NonNullable<TListInput['status']>;
export type TArchivedFilter = NonNullable<TListInput['archived']>;
