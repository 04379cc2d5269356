import { catalogueRoutes } from "./api-catalogue";
import type { ApiRoute } from "./api-core";
import { subscriptionRoutes } from "./api-subscriptions";

export type { ApiCtx, ApiRoute } from "./api-core";
export { page } from "./api-core";

/** The /v1 paths stripe-node calls for customers, products, prices, subscriptions and invoices. */
export const apiRoutes: ApiRoute[] = [...catalogueRoutes, ...subscriptionRoutes];
