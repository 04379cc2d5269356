import { createContext } from "react-router";
import type { Membership, StaffUser, Tenant, VendorUser } from "#db/schema/index";

/** Set once per request by the /c/:city layout middleware; loaders read it, never re-resolve. */
export const tenantContext = createContext<Tenant>();
/** Set by the admin layout's guard: the signed-in staff member and their membership in this city. */
export const staffContext = createContext<{ user: StaffUser; membership: Membership; sessionId: string }>();
/** Set by the vendor layout's guard. */
export const vendorContext = createContext<{ user: VendorUser; sessionId: string }>();
